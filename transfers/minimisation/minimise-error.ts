// transfers/minimisation/minimise-error: why a plan could not be applied to a payload, with the JSON Pointer into the
// manifest it concerns. Intake answers it as a 400 and stores nothing (fail closed: the original never passes).

/** `path` points into the manifest (`/minimise/columns/<name>`) or is '' when the payload itself is at fault. */
export class MinimiseError extends Error {
  constructor(
    readonly path: string,
    message: string,
    /** true: the manifest names something the payload does not have; false: the payload cannot be read as the plan says. */
    readonly inPlan: boolean,
  ) {
    super(message);
  }
}
