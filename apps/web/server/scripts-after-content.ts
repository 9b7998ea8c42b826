/** What Vite writes into index.html's head for the app's JavaScript: its module scripts and modulepreloads. */
const SCRIPT_TAG = /[ \t]*(<script type="module"[^>]*><\/script>|<link rel="modulepreload"[^>]*>)\n?/g;

/**
 * index.html with its module scripts and modulepreload links moved from the head to the end of
 * the body, so a page's first screen (`<div id="app">…</div>`) comes before them.
 *
 * Why: Chromium's HTML parser may stop (yield) after any token once `<body>` exists, when the
 * task it runs in has parsed for longer than its budget (10 ms); the head alone is never cut.
 * With the scripts in the head, that task also prepared the module script — fetching its graph,
 * compiling the modulepreloaded files already received — and in a cold load it always ran over,
 * so the parser stopped right after `<body>`, before the first screen, and resumed only after
 * the tasks of the script responses queued meanwhile: the first screen reached the DOM, and
 * the screen, after the scripts' last byte. Where a tag stands changes nothing else: the
 * preload scanner reads the whole document ahead of the parser, so the files are requested as
 * early as before, and module scripts run once the document is parsed, wherever they are.
 * The stylesheet stays in the head: the first paint needs it.
 */
export function withScriptsAfterContent(indexHtml: string): string {
  const headEnd = indexHtml.indexOf('</head>');
  const bodyEnd = indexHtml.lastIndexOf('</body>');
  if (headEnd === -1 || bodyEnd === -1)
    throw new Error('index.html has no </head> or </body> to move its scripts between');
  const scripts: string[] = [];
  const head = indexHtml.slice(0, headEnd).replace(SCRIPT_TAG, (_tag, script: string) => {
    scripts.push(script);
    return '';
  });
  const body = indexHtml.slice(headEnd, bodyEnd);
  return `${head}${body}${scripts.map((script) => `  ${script}\n`).join('')}${indexHtml.slice(bodyEnd)}`;
}
