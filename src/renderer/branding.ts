/** The name in the header and the window title: the organisation's when set, else the product's. */
export const displayName = (info: { brandName?: string | undefined; productName: string }): string => info.brandName?.trim() || info.productName;
