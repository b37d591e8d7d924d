"""Parts pages under /parts/, one module per area of the parts department (counter, stock, purchasing, supplier
returns, stocktake, scrap, transfers, reports, printed documents). ``parts/urls.py`` imports the modules."""
