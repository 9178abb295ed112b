-- Every unit code of the store with its name, to tell a unit outside the district from none.
select code, name
from units
