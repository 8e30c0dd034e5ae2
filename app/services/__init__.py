"""The rules of the register. Each public function is one thing a person does, owns its
transaction (commits on success) and raises a DomainError with a translatable message when
it refuses — after journaling the refusal."""
