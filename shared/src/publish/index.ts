// The publishing layer: one call per action to show its result everywhere the user asked. See publish.ts.
export {
  publish,
  plainText,
  subjectMarker,
  type PublishRequest,
  type PublishResult,
  type Verdict,
  type LineAnnotation,
  type SummaryOptions,
} from './publish.js';
export { readPublishChannels, channelSecrets, type PublishChannels, type NotifyFailure, type ChannelInputNames } from './channels.js';
export { githubFailure, httpStatus } from './github-failure.js';
export { writeReportFiles, reportJson, type WrittenReports } from './report-files.js';
