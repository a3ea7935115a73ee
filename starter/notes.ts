import { ADMIN_HEADER, CREDENTIAL, sticky, type WorkflowNode } from './build';

/**
 * The sticky notes of the starter workflows whose source files hold only their nodes: what each
 * workflow does, what a user may change and where, and what not to touch. Markdown, as n8n shows it.
 */
const RED = 3;
const about = (position: [number, number], size: [number, number], content: string) => sticky('About This Workflow', position, size, content);
const doNotTouch = (position: [number, number], size: [number, number], content: string) => sticky('Do Not Touch', position, size, `### Do not change\n${content}`, RED);

export function dispatchNotes(label: 'Billing' | 'Shipping'): WorkflowNode[] {
	return [
		about(
			[-40, -1000],
			[1040, 520],
			`## ${label} dispatch
The ${label.toLowerCase()} system posts its events to **${label} Event Trigger** (Production URL). Each new event is **recorded** (events, outbox, keys tables), and only then the source is **acknowledged** (202); then the deliveries are **sent** and **settled** into the delivery log. If n8n stops after the 202, **Retry due deliveries** sends what was recorded.

**Credentials you create:** "${CREDENTIAL.sourceSigning.name}" (the source signs its posts with it) and "${CREDENTIAL.signing.name}" (receivers verify your webhooks with it). Optional: "${CREDENTIAL.oauth2.name}" and "${CREDENTIAL.secretHeader.name}" on **Send Deliveries**, only when an endpoint's \`authentication\` is \`oauth2\` or \`secretHeader\`; without them those deliveries fail with a message that names the missing credential.

**You may change:** \`dedupeWindow\` in **Settings** (how many recent event keys are kept to drop repeated posts), the trigger's event types and authentication, and the options of **Send Deliveries** (timeout, attempts, retry schedule, allowed private hosts).`,
		),
		doNotTouch(
			[1040, -1000],
			[760, 360],
			`- **The order of the writes**: events, outbox, keys, then **Acknowledge**. The source gets its 202 only once every delivery is in the outbox; change the order and a crash can lose an acknowledged event.
- **Deliveries to Send** (a Merge) waits for **Acknowledge** before anything is sent: a slow partner never delays the source's answer, and nothing is sent before it is recorded.
- The **Events Recorded?**, **Outbox Recorded?** and **Keys Recorded?** checks: when n8n refuses a write (space full) the source gets 503 and posts again later.
- The claim filters of **Update Outbox** and **Remove Sent From Outbox**.`,
		),
		sticky(
			'Acknowledge Note',
			[2820, -620],
			[420, 260],
			`### Acknowledge
**Respond to Event Source** (this package's node) answers the source. n8n's own Respond to Webhook (version 1.1 and later) refuses the package's triggers ("No Webhook node found"): it answers only n8n's Webhook, Form, Chat and Wait nodes.`,
			5,
		),
	];
}

export function operationalNotes(): WorkflowNode[] {
	return [
		about(
			[-40, -420],
			[640, 360],
			`## Operational events
Where the package's own events land: \`endpoint.disabled\` (from **Endpoint health**) and \`storage.warning\` (from **Retention**), one item each: \`{ id, type, timestamp, data }\`.

**You may change:** add mail or chat nodes after **Route It (Mail, Chat)**; put a Switch on \`type\` in front of them to send the two kinds to different places. **Keep it published** and keep its name: the other workflows find it by name.`,
		),
	];
}

export function resendNotes(): WorkflowNode[] {
	return [
		about(
			[-40, -900],
			[980, 460],
			`## Resend
\`POST /webhook/webhook-notifications/resend\` with the header \`${ADMIN_HEADER}\` (credential "${CREDENTIAL.admin.name}"): \`{ "deliveryId": "…" }\` resends one delivery, or \`{ "filter": { … } }\` the finished deliveries that match (at most 1,000). Each resend is a manual attempt with the same body and \`webhook-id\`; a failure leaves the delivery as it was. A delivery being sent right now is answered 409. The activity page calls this workflow.

**You may change:** the options of **Resend** (timeout, private hosts); add your OAuth2 or secret-header credential there when endpoints need it. No run of this workflow is saved: the request headers carry the admin token.`,
		),
		doNotTouch(
			[960, -900],
			[640, 260],
			`**Claim for Resend** (it takes only a row nobody holds, so a resend never races the retry schedule), the claim filters, and the order of the **Outcome** outputs.`,
		),
	];
}

export function activityNotes(): WorkflowNode[] {
	return [
		about(
			[-40, -1100],
			[980, 420],
			`## Activity page
Open \`/webhook/webhook-notifications/activity\` in a browser and sign in with the admin token (credential "${CREDENTIAL.admin.name}", header \`${ADMIN_HEADER}\`): the deliveries, a filter by endpoint and resource ID, each delivery's attempts, resend, the endpoints (add, disable, delete) and the event catalog. The page is one self-contained HTML file; its API is the other branch of this workflow, behind the same header.

**You may change:** nothing is needed. The space figure needs the "${CREDENTIAL.n8nApi.name}" credential and the n8n API URL in **Table Sizes** (\`http://localhost:5678/api/v1\` as imported).`,
		),
		doNotTouch(
			[960, -1100],
			[620, 220],
			`**Read Request** checks every request (the admin header, the action, each field) before any table is touched. Keep it first.`,
		),
	];
}

export function setupNotes(): WorkflowNode[] {
	return [
		about(
			[-40, -420],
			[760, 320],
			`## Setup
Run it once by hand (**Execute workflow**): it creates the five data tables the other workflows use, and leaves tables that exist as they are. Then publish the other workflows (see the README, "By hand").

**Do not rename the tables**: the workflows refer to them by name.`,
		),
	];
}
