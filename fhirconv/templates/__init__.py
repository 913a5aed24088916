"""Package data of the review page and the evaluation report (CSS, JS), inlined into the HTML they write."""
