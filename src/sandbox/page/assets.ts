import { APP_JS } from './app-js.js';
import { BLOCKS_JS } from './blocks-js.js';
import { INDEX_HTML } from './html.js';
import { MESSAGES_JS } from './messages-js.js';
import { MODAL_JS } from './modal-js.js';
import { MRKDWN_JS } from './mrkdwn-js.js';
import { STYLE_CSS } from './style.js';

/** The workspace page's files, served from strings: tsc copies no other files into dist. */
export const PAGE_ASSETS: Readonly<Record<string, { readonly type: string; readonly body: string }>> = {
  '/index.html': { type: 'text/html; charset=utf-8', body: INDEX_HTML },
  '/page/style.css': { type: 'text/css; charset=utf-8', body: STYLE_CSS },
  '/page/mrkdwn.js': { type: 'text/javascript; charset=utf-8', body: MRKDWN_JS },
  '/page/blocks.js': { type: 'text/javascript; charset=utf-8', body: BLOCKS_JS },
  '/page/modal.js': { type: 'text/javascript; charset=utf-8', body: MODAL_JS },
  '/page/messages.js': { type: 'text/javascript; charset=utf-8', body: MESSAGES_JS },
  '/page/app.js': { type: 'text/javascript; charset=utf-8', body: APP_JS },
};
