"""JSON documents of the register's answers, one module per page. The web renders them as HTML pages and
serves them as the pages' .json twins; `igs show --json` prints the same documents."""
