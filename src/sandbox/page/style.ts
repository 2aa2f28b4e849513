/** Looks enough like Slack that a person knows where to look; nothing here is needed to work. */
export const STYLE_CSS = `
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.46 Lato, "Helvetica Neue", Arial, system-ui, sans-serif; color: #1d1c1d; }
#app { display: grid; grid-template-columns: 240px 1fr auto; height: 100vh; }
/* Columns are exactly the window's height; only their message lists scroll. */
#app > * { height: 100vh; min-height: 0; }
#sidebar { background: #3f0e40; color: #cfc3cf; padding: 12px 0; overflow-y: auto; }
.workspace { color: #fff; font-weight: 900; font-size: 18px; padding: 4px 16px 12px; border-bottom: 1px solid #522653; }
.workspace small { display: block; font-weight: 400; font-size: 12px; color: #cfc3cf; }
.me { display: block; padding: 12px 16px; font-size: 13px; }
.me select { margin-left: 6px; font: inherit; }
.section-title { padding: 12px 16px 4px; font-size: 13px; font-weight: 700; }
#channels button { display: block; width: 100%; text-align: left; border: 0; background: none; color: inherit;
  font: inherit; padding: 3px 16px; cursor: pointer; }
#channels button.active { background: #1164a3; color: #fff; }
#channels button .unread { float: right; font-size: 11px; background: #cd2553; color: #fff; border-radius: 8px; padding: 0 6px; }
#tips { padding: 0 16px; font-size: 12.5px; }
#tips p { margin: 0 0 8px; }
#tips code { background: #522653; color: #fff; padding: 0 3px; border-radius: 3px; word-break: break-all; }
main { display: flex; flex-direction: column; min-width: 0; border-right: 1px solid #ddd; }
#channel-head { padding: 10px 20px; border-bottom: 1px solid #ddd; font-weight: 900; font-size: 18px; }
#channel-head small { font-weight: 400; font-size: 13px; color: #616061; margin-left: 8px; }
#messages, #thread-messages { flex: 1; min-height: 0; overflow-y: auto; padding: 8px 0; }
.msg { display: flex; gap: 8px; padding: 6px 20px; }
.msg:hover { background: #f8f8f8; }
.msg.ephemeral { background: #f4f8fb; border-left: 3px solid #1264a3; }
.avatar { flex: none; width: 36px; height: 36px; border-radius: 4px; background: #4a8a6e; color: #fff;
  display: flex; align-items: center; justify-content: center; font-weight: 700; }
.avatar.bot { background: #e8f1fa; font-size: 20px; }
.content { flex: 1; min-width: 0; }
.meta b { margin-right: 6px; }
.meta .tag { font-size: 10px; background: #e8e8e8; color: #616061; padding: 1px 3px; border-radius: 2px; margin-right: 6px; }
.meta time, .meta .edited { font-size: 12px; color: #616061; margin-right: 4px; }
.only-you { font-size: 12px; color: #616061; }
.b-header { font-size: 18px; font-weight: 900; margin: 4px 0; }
.b-section { display: flex; gap: 12px; margin: 4px 0; }
.b-main { flex: 1; min-width: 0; word-wrap: break-word; }
.b-fields { display: grid; grid-template-columns: 1fr 1fr; gap: 8px 16px; margin-top: 4px; }
.b-context { font-size: 13px; color: #616061; display: flex; flex-wrap: wrap; gap: 8px; margin: 4px 0; }
.b-actions { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0; }
.b-divider { border: 0; border-top: 1px solid #ddd; }
.b-unknown { color: #999; font-style: italic; }
pre { background: #f8f8f8; border: 1px solid #ddd; border-radius: 4px; padding: 8px; margin: 4px 0;
  white-space: pre-wrap; word-break: break-all; font: 12px/1.5 Menlo, Monaco, Consolas, monospace; }
code { background: #f3f3f3; border: 1px solid #e0e0e0; color: #c01343; border-radius: 3px; padding: 0 3px; overflow-wrap: anywhere;
  font: 12px Menlo, Monaco, Consolas, monospace; }
blockquote { margin: 2px 0; padding-left: 10px; border-left: 4px solid #ddd; }
.mention { background: #e8f5fa; color: #1264a3; border-radius: 3px; padding: 0 2px; }
.btn { font: inherit; font-size: 14px; font-weight: 700; padding: 4px 12px; border-radius: 4px; cursor: pointer;
  border: 1px solid #bbb; background: #fff; color: #1d1c1d; }
.btn:hover { background: #f6f6f6; }
.btn.primary { background: #007a5a; border-color: #007a5a; color: #fff; }
.btn.danger { background: #e01e5a; border-color: #e01e5a; color: #fff; }
.btn:disabled { opacity: .5; cursor: default; }
.select { font: inherit; font-size: 14px; padding: 4px; border-radius: 4px; border: 1px solid #bbb; }
.replies { border: 0; background: none; color: #1264a3; font: inherit; font-size: 13px; font-weight: 700;
  padding: 2px 0; cursor: pointer; }
.composer { display: flex; gap: 8px; margin: 0 20px 16px; border: 1px solid #bbb; border-radius: 8px; padding: 8px; }
.composer textarea { flex: 1; border: 0; resize: none; font: inherit; outline: none; }
.send { border: 0; background: #007a5a; color: #fff; border-radius: 4px; padding: 0 12px; font-weight: 700; cursor: pointer; }
#thread { width: 440px; display: flex; flex-direction: column; }
#thread[hidden] { display: none; }
#thread header { padding: 12px 16px; border-bottom: 1px solid #ddd; }
#thread header span { color: #616061; font-size: 13px; }
.x { float: right; border: 0; background: none; font-size: 20px; cursor: pointer; line-height: 1; }
.overlay { position: fixed; inset: 0; background: rgba(0,0,0,.45); display: flex; align-items: center; justify-content: center; }
.modal { background: #fff; border-radius: 8px; width: 520px; max-height: 90vh; display: flex; flex-direction: column;
  box-shadow: 0 18px 48px rgba(0,0,0,.35); }
.modal-head { padding: 16px 20px; font-size: 20px; font-weight: 900; border-bottom: 1px solid #ddd; }
.modal-body { padding: 12px 20px; overflow-y: auto; }
.modal-foot { padding: 12px 20px; border-top: 1px solid #ddd; display: flex; justify-content: flex-end; gap: 8px; }
.dialog { width: 440px; }
.b-input { margin: 12px 0; }
.b-input label { display: block; font-weight: 700; margin-bottom: 4px; }
.b-input .optional { font-weight: 400; color: #616061; }
.b-input .text, .b-input .select { width: 100%; font: inherit; padding: 6px 8px; border: 1px solid #bbb; border-radius: 4px; }
.b-input .hint { font-size: 12px; color: #616061; margin-top: 2px; }
.b-input .error { font-size: 13px; color: #e01e5a; margin-top: 2px; }
.b-input.has-error .text, .b-input.has-error .select { border-color: #e01e5a; }
#toast { position: fixed; bottom: 24px; left: 50%; transform: translateX(-50%); background: #1d1c1d; color: #fff;
  padding: 10px 16px; border-radius: 6px; max-width: 70vw; }
`;
