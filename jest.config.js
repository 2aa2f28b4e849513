// ESM + TypeScript through ts-jest; type checking is `npm run typecheck`'s job, so tests only transpile.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testTimeout: 30_000,
  // Three files at a time on CI's two cores: most of an e2e test's time is waiting on its bot process.
  maxWorkers: 3,
  globalSetup: '<rootDir>/test/support/build.ts',
};
