/**
 * The mock-rule types live in the bottom layer (common/), shared by the runtime and the
 * contract; this path stays so that code importing the contract's mock rules keeps working.
 */
export * from '../../common/mock';
