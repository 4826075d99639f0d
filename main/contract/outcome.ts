/**
 * The outcome types live in the bottom layer (common/), shared by the runtime and the
 * contract; this path stays so that code importing the contract's outcome keeps working.
 */
export * from '../../common/outcome';
