import type { INodeProperties } from 'n8n-workflow';

/** The Allowed Hosts field of the node-level credentials that are sent to receivers (see security/hostBinding). */
export const allowedHostsProperty: INodeProperties = {
	displayName: 'Allowed Hosts',
	name: 'allowedHosts',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'api.partner.example, *.partner.example',
	description:
		'Hosts of the endpoints this credential may be sent to (comma-separated; *.example.com for its subdomains). It is never sent to any other host; empty: sent nowhere.',
};
