-- Headless Neovim as postevent's LSP client, configured by neovim-init.lua (the snippet in
-- docs/editors.md): opens $POSTEVENT_LOG and writes to $POSTEVENT_NVIM_OUT (JSON) what the
-- editor got: its diagnostics (with byte columns, as Neovim converts them from UTF-16), a
-- hover and the completions at a position. Run by tests/it/lsp.rs (`POSTEVENT_EDITOR_TEST=1`).
local log = os.getenv('POSTEVENT_LOG')
local out = os.getenv('POSTEVENT_NVIM_OUT')

vim.cmd('edit ' .. vim.fn.fnameescape(log))

local result = { diagnostics = {}, hover = vim.NIL, completion = {} }
vim.wait(20000, function() return #vim.diagnostic.get(0) > 0 end, 20)
result.clients = #vim.lsp.get_active_clients()
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(result.diagnostics, {
    code = d.code, lnum = d.lnum, col = d.col, end_col = d.end_col,
    severity = d.severity, message = d.message,
  })
end

local function request(method, line, character)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(0) },
    position = { line = line, character = character },
  }
  local replies = vim.lsp.buf_request_sync(0, method, params, 10000) or {}
  for _, reply in pairs(replies) do
    return reply.result
  end
end

local hover = request('textDocument/hover', 20, 7)
if hover then result.hover = hover.contents.value end
for _, item in ipairs(request('textDocument/completion', 15, 13) or {}) do
  table.insert(result.completion, item.label)
end

local file = io.open(out, 'w')
file:write(vim.fn.json_encode(result))
file:close()
vim.lsp.stop_client(vim.lsp.get_active_clients())
vim.wait(5000, function() return #vim.lsp.get_active_clients() == 0 end, 20)
vim.cmd('qa!')
