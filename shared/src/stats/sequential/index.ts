// Sequential (always-valid) tests for decisions taken at repeated looks.
export { sequentialTest, mixtureRho, DEFAULT_SEQUENTIAL_TUNING, type SequentialInput, type SequentialResult } from './msprt.js';
