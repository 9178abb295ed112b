insert into accounts (name, role, password_hash, email)
values (:name, :role, :password_hash, :email)
