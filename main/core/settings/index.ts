/** Settings schema, test values, resolution for runs, and their wiring into core (issue 4). */
export {
  expectedValueText,
  findSetting,
  isEmptySettingValue,
  nameFromLabel,
  settingDisplay,
  settingValueProblem,
  uniqueSettingName,
  validateSettingsSchema,
} from './schema';
export { TEST_VALUES_FILE, readTestValuesFile, writeTestValuesFile, type TestValuesFile } from './test-values-file';
export {
  deleteFunctionSecrets,
  deleteSettingValue,
  diffSettings,
  getTestValues,
  readKnownSecret,
  reconcileSettingsChange,
  renameSettingValue,
  revealSecret,
  setTestValue,
  type FunctionSettingsContext,
  type SettingsChange,
} from './function-settings';
export { InvalidSettingsError, invalidSettingsOutcome, resolveSettings, type ResolveSettingsInput, type ResolvedSettings } from './resolve';
export { createSettingsService, type SettingsServiceDeps } from './service';
export { createRunSettingsResolver, createWorkspaceSettingsService, withSettingsLifecycle, type FunctionLocator } from './wiring';
