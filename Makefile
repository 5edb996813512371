# Course chores. `make docs` builds the site offline into _docs/; `make check-docs` loads it in headless Chromium.
.PHONY: docs check-docs readme export test
docs:
	python tools/build_docs.py
check-docs: docs
	python tools/check_docs.py
readme:
	python tools/nb2readme.py
export:
	nbdev-export && nbdev-clean && python tools/nb2readme.py
test:
	bash .ci/run
