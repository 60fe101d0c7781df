/**
 * Offline Sync core for specs and test kits only: helpers that hold production code to its
 * contract. Never imported by an app's production code.
 */
export { fastCheckVerdict } from './testing/fast-check-verdict';
