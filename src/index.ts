export type * from "./api.js";
export { lower } from "./lower.js";
