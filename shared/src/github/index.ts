// The GitHub adapters actions use: one client, and one module per thing we post.
export { createGitHubClient, type GitHubClient, type GitHubClientOptions } from './client.js';
export { parseRepository, hiddenMarker, type RepositoryRef } from './repository.js';
export {
  truncateMiddle,
  COMMENT_MAX_CHARS,
  ISSUE_BODY_MAX_CHARS,
  SUMMARY_MAX_BYTES,
  CHECK_RUN_TEXT_MAX_CHARS,
  CHECK_RUN_ANNOTATIONS_PER_REQUEST,
  type SizeUnit,
  type TruncateOptions,
} from './size-limits.js';
export { upsertComment, type CommentMode, type CommentResult, type UpsertCommentOptions } from './pr-comment.js';
export { listPullRequestFiles, PULL_REQUEST_FILES_LIMIT, type PullRequestFiles } from './pull-request-files.js';
export { syncAlertIssue, type AlertIssueResult, type SyncAlertIssueOptions } from './alert-issue.js';
export {
  publishCheckRun,
  type CheckConclusion,
  type CheckRunAnnotation,
  type CheckRunResult,
  type PublishCheckRunOptions,
} from './check-run.js';
