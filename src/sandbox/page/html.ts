/** The workspace page's markup: a sidebar, the channel, a thread panel; the scripts fill them in. */
export const INDEX_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lifeboat sandbox</title>
<link rel="stylesheet" href="/page/style.css">
</head>
<body>
<div id="app">
  <aside id="sidebar">
    <div class="workspace">Lifeboat sandbox<small>a local Slack-like workspace</small></div>
    <label class="me">You are <select id="me" aria-label="You are"></select></label>
    <div class="section-title">Channels</div>
    <nav id="channels"></nav>
    <div class="section-title">Try it</div>
    <div id="tips"></div>
  </aside>
  <main id="main">
    <header id="channel-head"></header>
    <div id="messages" aria-label="Messages"></div>
    <form id="composer" class="composer">
      <textarea id="compose" rows="2" aria-label="Message"></textarea>
      <button type="submit" class="send" aria-label="Send">Send</button>
    </form>
  </main>
  <aside id="thread" aria-label="Thread" hidden>
    <header><b>Thread</b> <span id="thread-channel"></span>
      <button type="button" class="x" data-kind="close-thread" aria-label="Close thread">×</button></header>
    <div id="thread-messages"></div>
    <form id="reply" class="composer">
      <textarea id="reply-text" rows="1" aria-label="Reply" placeholder="Reply…"></textarea>
      <button type="submit" class="send" aria-label="Send reply">Send</button>
    </form>
  </aside>
</div>
<div id="modal-root"></div>
<div id="dialog-root"></div>
<div id="toast" role="status" hidden></div>
<script src="/page/mrkdwn.js"></script>
<script src="/page/blocks.js"></script>
<script src="/page/modal.js"></script>
<script src="/page/messages.js"></script>
<script src="/page/app.js"></script>
</body>
</html>
`;
