-- init.lua, Neovim 0.7 and later: postevent for the YAML files under an incidents/ folder.
vim.api.nvim_create_autocmd({ 'BufRead', 'BufNewFile' }, {
  pattern = { '*/incidents/*.yaml', '*/incidents/*.yml' },
  callback = function(args)
    local client = vim.lsp.start_client({
      name = 'postevent',
      cmd = { 'postevent', 'lsp' },
      root_dir = vim.fn.fnamemodify(args.file, ':p:h'),
    })
    vim.lsp.buf_attach_client(args.buf, client)
  end,
})
