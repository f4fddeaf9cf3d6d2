// The start's three reads (the remembered language, the identity's status, the catalog), sent as the page
// begins, while its modules are still fetched and run: their answers are waiting when main.ts asks for
// them, where sent by main.ts they came a round trip after (LIXIANG_TRACE_STARTUP). Each answer is kept in
// the bindings' shape ({status, data} or {status, error}); src/boot.ts hands each out once.
;(function () {
  var tauri = window.__TAURI_INTERNALS__
  if (!tauri) return
  var sent = {}
  ;['preference_get_language', 'identity_get', 'catalog_get'].forEach(function (command) {
    sent[command] = tauri.invoke(command).then(
      function (data) { return { status: 'ok', data: data } },
      function (error) { if (error instanceof Error) throw error; return { status: 'error', error: error } },
    )
  })
  window.__lixiangBoot = sent
})()
