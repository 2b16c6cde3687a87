import { AdapterTable } from "../../core/subject";

/** Subjects of control-plane components and their documents. */
export const KUBERNETES_CONTROL_PLANE_ADAPTERS: AdapterTable<never> = {};
