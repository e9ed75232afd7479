"""The national roll-up's figures and pages: the provinces' annual figures, side by side and in
total (`auditor report national`)."""
