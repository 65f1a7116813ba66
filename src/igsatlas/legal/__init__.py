"""Legal-form knowledge (from the reference with its articles and confidence), the decision wizard, and the
compliance rules held against every registered cooperation."""
