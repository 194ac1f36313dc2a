// ESM + ts-jest, as actions/checkout v7 does: `node --experimental-vm-modules` runs jest (see package.json).
const tsJest = ['ts-jest', { useESM: true, tsconfig: { isolatedModules: true, module: 'NodeNext', moduleResolution: 'NodeNext' } }];
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^#shared/(.*)\\.js$': '<rootDir>/shared/src/$1', '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': tsJest },
  testEnvironment: 'node',
};
export default {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'] },
  ],
  testTimeout: 60000,
};
