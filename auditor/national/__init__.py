"""The national roll-up: provinces' signed bundles into a national store (`auditor national
import`), and the country's figures from it (`auditor report national`)."""
