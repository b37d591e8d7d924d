"""The workshop board (维修管理看板), in three rooms:

- ``data``: what is on the floor — orders, their labour lines, dispatch and clock state — read in a fixed number of
  flat queries (no model instances for the 300 orders of a busy station);
- ``html``: the cards, built with escaped f-strings (300 cards through the template engine cost more than the page's
  budget, see bench/workshop_board.py); every printed text goes through ``html.escape``;
- ``cache``: the rendered board per station and language for a few seconds, versioned by every workshop write.
"""
