hashed
