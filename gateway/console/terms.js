// console/terms: the closed sets the gateway works with — tiers, statuses, business types, check names, reason
// codes and the approvals that release a held transfer — as the gateway answers them at
// /console/vocabulary.json (transfers/vocabulary.ts). Loaded once, before any view renders; no copies here.

/** @type {{ tiers: string[], statuses: string[], businessTypes: string[], checkNames: string[], approvalsNeeded: number, reasonCodes: string[] }} */
export const terms = await (await fetch(new URL('vocabulary.json', import.meta.url))).json();
