"""Card transactions (Liste des transactions, docs/card-transactions.md): the list of every
card payment and refund of this register, and its two actions, Annuler and Remboursement
manuel, each a numbered document signed in the register's card chain."""
