// The samples the catalog shows: one customer, one order with one product line, the invoices that order produced.

const userId = '0054W00000B2HzoQAF';
export const customerId = '0014W00004AcEwWQAV';
export const orderId = '8014W000008ZoIhQAK';
const orderProductId = '8024W00000ZbDvKQAV';
export const subscriptionId = 'a0R4W000010IvNuUAK';
export const productId = '01t4W00000PqS5jQAF';
export const invoiceId = 'a0F4W00000XkT2bUAF';

export const sampleCustomer = {
	id: customerId,
	name: 'Canva UK',
	accountNumber: 'ACC-001184',
	email: 'billing@canva-uk.example',
	phone: '+44 20 7946 0958',
	recordType: 'Business',
	billingAddress: { street: '110 Bishopsgate', city: 'London', state: null, postalCode: 'EC2N 4AY', country: 'GB' },
	shippingAddress: null,
	currencyIsoCode: 'USD',
	paymentTerm: 'Net 30',
	billCycleDay: '1st of Month',
	timezone: 'Europe/London',
	createdDate: '2024-10-02T09:14:31.000+00:00',
	lastModifiedDate: '2024-11-11T22:11:58.000+00:00',
};

function sampleOrder(status: string, dates: Record<string, string | null>) {
	return {
		id: orderId,
		orderNumber: '00002058',
		name: 'Canva UK - Pipedrive Documents',
		status,
		orderType: 'New',
		customerId,
		billingAccountId: customerId,
		ownerId: userId,
		createdById: userId,
		lastModifiedById: userId,
		pricebookId: '01s4W000001FaHyQAK',
		orderPlacedDate: '2024-11-11',
		orderStartDate: '2024-11-01',
		subscriptionStartDate: '2024-11-01',
		subscriptionEndDate: '2025-10-31',
		subscriptionTerm: 12,
		billingPeriod: 'Month',
		billCycleDay: null,
		paymentMethod: 'ACH',
		poNumber: null,
		poDate: null,
		description: null,
		listTotal: 3000,
		subtotal: 3000,
		discount: 0,
		discountAmount: 0,
		systemDiscount: 0,
		systemDiscountAmount: 0,
		tax: 0,
		totalPrice: 3000,
		totalAmount: 3000,
		totalAmountWithoutTax: 3000,
		grandTotal: null,
		orderACV: 3000,
		orderTCV: 3000,
		billingAddress: null,
		shippingAddress: null,
		isShippingAddressSameAsBilling: true,
		cancelOnPaymentFail: false,
		createdDate: '2024-11-11T22:11:56.000+00:00',
		activatedDate: null,
		canceledDate: null,
		lastModifiedDate: '2024-11-11T22:11:58.000+00:00',
		...dates,
	};
}

function sampleOrderProduct(status: string) {
	return {
		id: orderProductId,
		orderId,
		name: '0000009223',
		productId,
		productName: 'Pipedrive Documents',
		sku: 'PIPEDRIVE10-1724900663615',
		status,
		lineType: 'LineItem',
		changeType: 'NewProduct',
		quantity: 250,
		actualQuantity: 250,
		listPrice: 1,
		netSalesPrice: 1,
		listTotalPrice: 3000,
		subtotal: 3000,
		discount: 0,
		discountAmount: 0,
		tax: 0,
		taxCode: 'SW056003',
		totalPrice: 3000,
		totalAmount: 3000,
		totalAmountWithoutTax: 3000,
		deltaACV: 3000,
		deltaARR: 3000,
		deltaTCV: 3000,
		deltaCMRR: 250,
		billingPeriod: 'Month',
		billingTiming: 'In Arrears',
		subscriptionStartDate: '2024-11-01',
		subscriptionEndDate: '2025-10-31',
		subscriptionTerm: 12,
		autoRenew: false,
		evergreen: false,
		assetId: subscriptionId,
		assetNumber: 'SUB-004472',
		assetType: 'Subscription',
		uomId: 'a0T4W00000RgGmoQAF',
		pricebookEntryId: '01u4W00000R60AuQAJ',
		sortOrder: 1,
		createdDate: '2024-11-11T22:11:57.000+00:00',
		lastModifiedDate: '2024-11-11T22:11:58.000+00:00',
	};
}

const sampleSubscription = {
	id: subscriptionId,
	assetNumber: 'SUB-004472',
	version: 1,
	productId,
	productName: 'Pipedrive Documents',
	productSku: 'PIPEDRIVE10',
	quantity: 250,
	startDate: '2024-11-01',
	endDate: '2025-10-31',
	termType: 'Month',
	zoneId: 'America/Los_Angeles',
	accountId: customerId,
	billingAccountId: customerId,
	orderProductId,
	assetType: 'Subscription',
	evergreen: false,
	priceModel: 'Usage',
	windowSize: 'Day',
	totalPrice: 3000,
	taxAmount: 0,
	billingPeriod: 'Month',
	billingTiming: 'In Arrears',
	delaySecondsForRating: 300,
	createdTime: '2024-11-11T22:11:58.000+00:00',
	lastModifiedTime: '2024-11-11T22:11:58.000+00:00',
};

export function sampleOrderData(status: string, dates: Record<string, string | null>, withSubscriptions: boolean) {
	return {
		order: sampleOrder(status, dates),
		orderProducts: [sampleOrderProduct(status)],
		subscriptions: withSubscriptions ? [sampleSubscription] : [],
		assets: [],
		contacts: [],
		customer: null,
		invoices: [],
		entitlements: [],
		changeOrderRequest: null,
		linePriceDimensions: [],
	};
}

export function sampleInvoice(fields: Record<string, unknown>) {
	return {
		id: invoiceId,
		name: 'INV-00001234',
		status: 'Active',
		paymentStatus: 'Unpaid',
		customerId,
		orderId,
		invoiceDate: '2024-12-01',
		dueDate: '2024-12-31',
		startDate: '2024-11-01',
		endDate: '2024-11-30',
		amount: 250,
		taxAmount: 0,
		totalAmount: 250,
		balance: 250,
		paidAmount: 0,
		currencyIsoCode: 'USD',
		paymentTerm: 'Net 30',
		activatedDate: '2024-12-01T06:00:12.000+00:00',
		createdDate: '2024-12-01T06:00:04.000+00:00',
		lastModifiedDate: '2024-12-01T06:00:12.000+00:00',
		...fields,
	};
}

export const sampleInvoiceItems = [
	{
		id: 'a0G4W00000LmQ7cUAF',
		invoiceId,
		productId,
		productName: 'Pipedrive Documents',
		quantity: 250,
		amount: 250,
		taxAmount: 0,
		startDate: '2024-11-01',
		endDate: '2024-11-30',
		orderProductId,
		subscriptionId,
	},
];

export const samplePayment = {
	id: 'a0P4W00000Hx81aUAB',
	amount: 250,
	currencyIsoCode: 'USD',
	paymentMethod: 'ACH',
	status: 'Succeeded',
	transactionId: 'py_3QJ1xK2eZvKYlo2C0x8f1Vt4',
	processedDate: '2024-12-27T14:03:51.000+00:00',
};

export function sampleCreditMemo(fields: Record<string, unknown>) {
	return {
		id: 'a0C4W00000FfR3tUAF',
		name: 'CM-00000311',
		status: 'Active',
		customerId,
		sourceInvoiceId: invoiceId,
		creditMemoDate: '2024-12-05',
		amount: 50,
		balance: 50,
		currencyIsoCode: 'USD',
		reason: 'Service credit for outage on 2024-11-19',
		activatedDate: '2024-12-05T10:22:40.000+00:00',
		createdDate: '2024-12-05T10:21:09.000+00:00',
		...fields,
	};
}

export const sampleCreditMemoItems = [
	{ id: 'a0D4W00000Ab12cUAB', creditMemoId: 'a0C4W00000FfR3tUAF', productName: 'Pipedrive Documents', quantity: 1, amount: 50, taxAmount: 0 },
];

export function sampleBillingJob(fields: Record<string, unknown>) {
	return {
		id: 'a0J4W00000BjQ9xUAF',
		name: 'Monthly billing - December 2024',
		status: 'Completed',
		targetDate: '2024-12-01',
		startTime: '2024-12-01T06:00:00.000+00:00',
		endTime: '2024-12-01T06:04:37.000+00:00',
		customersProcessed: 412,
		invoicesCreated: 398,
		errors: [],
		errorMessage: null,
		...fields,
	};
}

export const samplePriceTag = {
	id: 'a0V4W00000Pt7SxUAJ',
	name: 'Pipedrive Documents - Volume',
	code: 'PT-DOCS-VOLUME',
	priceType: 'Recurring',
	chargeModel: 'Volume',
	currencyIsoCode: 'USD',
	uomId: 'a0T4W00000RgGmoQAF',
	active: true,
	startDate: '2025-01-01',
	endDate: null,
	tiers: [
		{ id: 'a0W4W00000Tr1AaUAJ', tierNumber: 1, startUnit: 0, endUnit: 100, chargeMethod: 'PerUnit', amount: 1.2, priceTagId: 'a0V4W00000Pt7SxUAJ' },
		{ id: 'a0W4W00000Tr1AbUAJ', tierNumber: 2, startUnit: 100, endUnit: null, chargeMethod: 'PerUnit', amount: 0.9, priceTagId: 'a0V4W00000Pt7SxUAJ' },
	],
	lastModifiedDate: '2024-12-10T16:45:02.000+00:00',
};

export const samplePriceTier = {
	id: 'a0W4W00000Tr1AbUAJ',
	priceTagId: 'a0V4W00000Pt7SxUAJ',
	tierNumber: 2,
	startUnit: 100,
	endUnit: null,
	chargeMethod: 'PerUnit',
	amount: 0.9,
	currencyIsoCode: 'USD',
	lastModifiedDate: '2024-12-10T16:45:02.000+00:00',
};

export const sampleChannels = ['client_1bd942c0-4cec-486f-be7a-7b14118ad4ad'];
