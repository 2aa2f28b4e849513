/**
 * The bot scopes each Slack Web API method that src/ calls needs, from Slack's method reference.
 * deploy.test.ts finds the calls in the sources and fails on a method missing here, so a new call
 * cannot reach production without its scope in slack-app-manifest.yaml.
 */

export type MethodScopes = {
  /** What Slack requires for the method with a bot token. */
  readonly required: readonly string[];
  /** Scopes we chose on top, and why; each must stay tied to a method the code still calls. */
  readonly chosen?: Readonly<Record<string, string>>;
};

export const METHOD_SCOPES: Readonly<Record<string, MethodScopes>> = {
  'chat.postMessage': {
    required: ['chat:write'],
    chosen: {
      'chat:write.public':
        'post the card and status updates in public channels Lifeboat was never invited to',
    },
  },
  'chat.update': { required: ['chat:write'] },
  'chat.postEphemeral': { required: ['chat:write'] },
  // A trigger_id from the user's click authorizes the modal; no scope.
  'views.open': { required: [] },
  // The Home tab: no scope, only features.app_home.home_tab_enabled.
  'views.publish': { required: [] },
  // Updates a modal the app opened (the params modal once its choices are listed); no scope.
  'views.update': { required: [] },
  // The SDK helper calls files.getUploadURLExternal, then files.completeUploadExternal.
  'files.uploadV2': { required: ['files:write'] },
  'usergroups.list': { required: ['usergroups:read'] },
  // Bolt's token check at start.
  'auth.test': { required: [] },
};

/** Bolt listeners that need a scope of their own (the slash command); actions, views and app_home_opened need none. */
export const LISTENER_SCOPES: Readonly<Record<string, readonly string[]>> = {
  command: ['commands'],
  action: [],
  view: [],
  event: [],
};

/** Bolt calls these itself whatever our code does. */
export const FRAMEWORK_METHODS: readonly string[] = ['auth.test'];
