# Course chores. `make docs` builds the site offline into _docs/ (the browser demo first, when its builder is here);
# `make check-docs` loads every page in headless Chromium.
.PHONY: docs check-docs readme export test
docs:
	if [ -f tools/build_demo.py ]; then python tools/build_demo.py --out demo/dist; fi
	python tools/build_docs.py
check-docs: docs
	python tools/check_docs.py
	python tools/check_demo.py
readme:
	python tools/nb2readme.py
export:
	nbdev-export && nbdev-clean && python tools/nb2readme.py
test:
	bash .ci/run
