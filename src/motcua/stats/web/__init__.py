"""The statistics web pages: the public /thong-ke/ and the desk's dashboards."""
