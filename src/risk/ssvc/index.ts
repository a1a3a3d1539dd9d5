/** SSVC (CISA Coordinator v2.0.3): the decision tree and the derivation of its inputs. */
export * from './decision.js';
export * from './inputs.js';
