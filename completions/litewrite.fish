# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_litewrite_global_optspecs
    string join \n config= actor= m/message= tx= dry-run json q/quiet v/verbose h/help V/version
end

function __fish_litewrite_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_litewrite_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_litewrite_using_subcommand
    set -l cmd (__fish_litewrite_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c litewrite -n "__fish_litewrite_needs_command" -l config -d 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]' -r -F
complete -c litewrite -n "__fish_litewrite_needs_command" -l actor -d 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]' -r
complete -c litewrite -n "__fish_litewrite_needs_command" -s m -l message -d 'A note for this write\'s change group and audit entries' -r
complete -c litewrite -n "__fish_litewrite_needs_command" -l tx -d 'Run this command inside an open transaction (see `tx`)' -r
complete -c litewrite -n "__fish_litewrite_needs_command" -l dry-run -d 'Run the job and its wrappers, print the changes it would make, roll back'
complete -c litewrite -n "__fish_litewrite_needs_command" -l json -d 'Print a JSON result object on stdout (errors too)'
complete -c litewrite -n "__fish_litewrite_needs_command" -s q -l quiet -d 'Print less on stderr'
complete -c litewrite -n "__fish_litewrite_needs_command" -s v -l verbose -d 'Print more detail on stderr'
complete -c litewrite -n "__fish_litewrite_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c litewrite -n "__fish_litewrite_needs_command" -s V -l version -d 'Print version'
complete -c litewrite -n "__fish_litewrite_needs_command" -f -a "insert" -d 'Insert rows from JSON, NDJSON, CSV, TSV or the command line'
complete -c litewrite -n "__fish_litewrite_needs_command" -f -a "upsert" -d 'Insert new rows and update existing ones by primary key'
complete -c litewrite -n "__fish_litewrite_needs_command" -f -a "update" -d 'Update one row by its primary key, the rows matching --where, or rows from stdin'
complete -c litewrite -n "__fish_litewrite_needs_command" -f -a "delete" -d 'Delete one row by its primary key, the rows matching --where, or keys from stdin'
complete -c litewrite -n "__fish_litewrite_needs_command" -f -a "create" -d 'Create a table'
complete -c litewrite -n "__fish_litewrite_needs_command" -f -a "drop" -d 'Drop a table'
complete -c litewrite -n "__fish_litewrite_needs_command" -f -a "query" -d 'Run SQL and print the rows of the last statement that returns rows'
complete -c litewrite -n "__fish_litewrite_needs_command" -f -a "schema" -d 'Show tables and views with columns, keys, foreign keys and indexes'
complete -c litewrite -n "__fish_litewrite_needs_command" -f -a "history" -d 'List change groups, newest first: id, time, actor, message, command, tables and row counts'
complete -c litewrite -n "__fish_litewrite_needs_command" -f -a "show" -d 'Show a change group\'s row changes: table, operation, key, before and after values'
complete -c litewrite -n "__fish_litewrite_needs_command" -f -a "undo" -d 'Revert a change group, as a new recorded group'
complete -c litewrite -n "__fish_litewrite_needs_command" -f -a "prune" -d 'Delete old change groups, which can then no longer be undone'
complete -c litewrite -n "__fish_litewrite_needs_command" -f -a "audit" -d 'Read the audit log (oldest first), verify its hash chain, or print its head'
complete -c litewrite -n "__fish_litewrite_needs_command" -f -a "tx" -d 'Transactions that span several invocations'
complete -c litewrite -n "__fish_litewrite_needs_command" -f -a "config" -d 'Show the configuration in effect: the wrapper chain and the file it came from'
complete -c litewrite -n "__fish_litewrite_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c litewrite -n "__fish_litewrite_needs_command" -f -a "man" -d 'Print a man page (roff), or write them all to a directory'
complete -c litewrite -n "__fish_litewrite_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c litewrite -n "__fish_litewrite_using_subcommand insert" -l batch-size -d 'Commit every N rows instead of once (each batch its own change group)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand insert" -l pk -d 'Primary key column of a new table (repeat for a compound key)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand insert" -l not-null -d 'Make this column of a new table NOT NULL (repeatable)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand insert" -l default -d 'Default value of a column of a new table: COL=VALUE, or COL VALUE as sqlite-utils spells it (repeatable)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand insert" -l type -d 'Type of a column of a new table: COL=TYPE, or COL TYPE as sqlite-utils spells it; TYPE is text, integer, real, float, blob or any (repeatable)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand insert" -l delimiter -d 'CSV/TSV field delimiter, e.g. \';\' or \'\\t\' (implies --csv unless --tsv)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand insert" -l quotechar -d 'CSV/TSV quote character [default: "] (implies --csv unless --tsv)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand insert" -l encoding -d 'The input\'s character encoding, e.g. latin-1, cp1252, utf-16 [default: utf-8]' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand insert" -l stop-after -d 'Read at most N rows' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand insert" -l config -d 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]' -r -F
complete -c litewrite -n "__fish_litewrite_using_subcommand insert" -l actor -d 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand insert" -s m -l message -d 'A note for this write\'s change group and audit entries' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand insert" -l tx -d 'Run this command inside an open transaction (see `tx`)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand insert" -l alter -d 'Add columns that the rows have and the table lacks'
complete -c litewrite -n "__fish_litewrite_using_subcommand insert" -l ignore -d 'Skip rows whose primary key already exists'
complete -c litewrite -n "__fish_litewrite_using_subcommand insert" -l replace -d 'Replace rows whose primary key already exists'
complete -c litewrite -n "__fish_litewrite_using_subcommand insert" -l truncate -d 'Delete all rows of the table first (in the same transaction)'
complete -c litewrite -n "__fish_litewrite_using_subcommand insert" -l nl -d 'Read newline-delimited JSON (one object per line)'
complete -c litewrite -n "__fish_litewrite_using_subcommand insert" -s c -l csv -d 'Read CSV with a header row (also from a .csv file name)'
complete -c litewrite -n "__fish_litewrite_using_subcommand insert" -l tsv -d 'Read TSV with a header row (also from a .tsv file name)'
complete -c litewrite -n "__fish_litewrite_using_subcommand insert" -l sniff -d 'Detect the CSV delimiter and quote character (implies --csv unless --tsv)'
complete -c litewrite -n "__fish_litewrite_using_subcommand insert" -l no-headers -d 'The CSV/TSV has no header row: columns are untitled_1, untitled_2, ... (implies --csv unless --tsv)'
complete -c litewrite -n "__fish_litewrite_using_subcommand insert" -l flatten -d 'Store nested objects as columns: {"a": {"b": 1}} becomes column a_b'
complete -c litewrite -n "__fish_litewrite_using_subcommand insert" -l lines -d 'Each line of the input is a row with one column, "line"'
complete -c litewrite -n "__fish_litewrite_using_subcommand insert" -l text -d 'The whole input is one row with one column, "text"'
complete -c litewrite -n "__fish_litewrite_using_subcommand insert" -l empty-null -d 'CSV/TSV: empty cells become NULL (else \'\' in a text column)'
complete -c litewrite -n "__fish_litewrite_using_subcommand insert" -l no-detect-types -d 'CSV/TSV: create every new column as TEXT instead of detecting numbers'
complete -c litewrite -n "__fish_litewrite_using_subcommand insert" -s d -l detect-types -d 'CSV/TSV: detect numbers (the default; sqlite-utils\' spelling)'
complete -c litewrite -n "__fish_litewrite_using_subcommand insert" -l dry-run -d 'Run the job and its wrappers, print the changes it would make, roll back'
complete -c litewrite -n "__fish_litewrite_using_subcommand insert" -l json -d 'Print a JSON result object on stdout (errors too)'
complete -c litewrite -n "__fish_litewrite_using_subcommand insert" -s q -l quiet -d 'Print less on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand insert" -s v -l verbose -d 'Print more detail on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand insert" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c litewrite -n "__fish_litewrite_using_subcommand upsert" -l batch-size -d 'Commit every N rows instead of once (each batch its own change group)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand upsert" -l pk -d 'Primary key column of a new table (repeat for a compound key)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand upsert" -l not-null -d 'Make this column of a new table NOT NULL (repeatable)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand upsert" -l default -d 'Default value of a column of a new table: COL=VALUE, or COL VALUE as sqlite-utils spells it (repeatable)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand upsert" -l type -d 'Type of a column of a new table: COL=TYPE, or COL TYPE as sqlite-utils spells it; TYPE is text, integer, real, float, blob or any (repeatable)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand upsert" -l delimiter -d 'CSV/TSV field delimiter, e.g. \';\' or \'\\t\' (implies --csv unless --tsv)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand upsert" -l quotechar -d 'CSV/TSV quote character [default: "] (implies --csv unless --tsv)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand upsert" -l encoding -d 'The input\'s character encoding, e.g. latin-1, cp1252, utf-16 [default: utf-8]' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand upsert" -l stop-after -d 'Read at most N rows' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand upsert" -l config -d 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]' -r -F
complete -c litewrite -n "__fish_litewrite_using_subcommand upsert" -l actor -d 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand upsert" -s m -l message -d 'A note for this write\'s change group and audit entries' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand upsert" -l tx -d 'Run this command inside an open transaction (see `tx`)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand upsert" -l alter -d 'Add columns that the rows have and the table lacks'
complete -c litewrite -n "__fish_litewrite_using_subcommand upsert" -l nl -d 'Read newline-delimited JSON (one object per line)'
complete -c litewrite -n "__fish_litewrite_using_subcommand upsert" -s c -l csv -d 'Read CSV with a header row (also from a .csv file name)'
complete -c litewrite -n "__fish_litewrite_using_subcommand upsert" -l tsv -d 'Read TSV with a header row (also from a .tsv file name)'
complete -c litewrite -n "__fish_litewrite_using_subcommand upsert" -l sniff -d 'Detect the CSV delimiter and quote character (implies --csv unless --tsv)'
complete -c litewrite -n "__fish_litewrite_using_subcommand upsert" -l no-headers -d 'The CSV/TSV has no header row: columns are untitled_1, untitled_2, ... (implies --csv unless --tsv)'
complete -c litewrite -n "__fish_litewrite_using_subcommand upsert" -l flatten -d 'Store nested objects as columns: {"a": {"b": 1}} becomes column a_b'
complete -c litewrite -n "__fish_litewrite_using_subcommand upsert" -l lines -d 'Each line of the input is a row with one column, "line"'
complete -c litewrite -n "__fish_litewrite_using_subcommand upsert" -l text -d 'The whole input is one row with one column, "text"'
complete -c litewrite -n "__fish_litewrite_using_subcommand upsert" -l empty-null -d 'CSV/TSV: empty cells become NULL (else \'\' in a text column)'
complete -c litewrite -n "__fish_litewrite_using_subcommand upsert" -l no-detect-types -d 'CSV/TSV: create every new column as TEXT instead of detecting numbers'
complete -c litewrite -n "__fish_litewrite_using_subcommand upsert" -s d -l detect-types -d 'CSV/TSV: detect numbers (the default; sqlite-utils\' spelling)'
complete -c litewrite -n "__fish_litewrite_using_subcommand upsert" -l dry-run -d 'Run the job and its wrappers, print the changes it would make, roll back'
complete -c litewrite -n "__fish_litewrite_using_subcommand upsert" -l json -d 'Print a JSON result object on stdout (errors too)'
complete -c litewrite -n "__fish_litewrite_using_subcommand upsert" -s q -l quiet -d 'Print less on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand upsert" -s v -l verbose -d 'Print more detail on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand upsert" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c litewrite -n "__fish_litewrite_using_subcommand update" -l where -d 'Update all rows matching this SQL condition instead of one key. It must be one expression: it is checked to stay inside the parentheses it is put in (no unbalanced ")", no ";")' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand update" -s p -l param -d 'A named parameter for --where (:NAME in the SQL)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand update" -l delimiter -d 'CSV/TSV field delimiter, e.g. \';\' or \'\\t\' (implies --csv unless --tsv)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand update" -l quotechar -d 'CSV/TSV quote character [default: "] (implies --csv unless --tsv)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand update" -l encoding -d 'The input\'s character encoding, e.g. latin-1, cp1252, utf-16 [default: utf-8]' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand update" -l config -d 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]' -r -F
complete -c litewrite -n "__fish_litewrite_using_subcommand update" -l actor -d 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand update" -s m -l message -d 'A note for this write\'s change group and audit entries' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand update" -l tx -d 'Run this command inside an open transaction (see `tx`)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand update" -l alter -d 'Add columns that the assignments name and the table lacks'
complete -c litewrite -n "__fish_litewrite_using_subcommand update" -l nl -d 'Read newline-delimited JSON (one object per line)'
complete -c litewrite -n "__fish_litewrite_using_subcommand update" -s c -l csv -d 'Read CSV with a header row (also from a .csv file name)'
complete -c litewrite -n "__fish_litewrite_using_subcommand update" -l tsv -d 'Read TSV with a header row (also from a .tsv file name)'
complete -c litewrite -n "__fish_litewrite_using_subcommand update" -l sniff -d 'Detect the CSV delimiter and quote character (implies --csv unless --tsv)'
complete -c litewrite -n "__fish_litewrite_using_subcommand update" -l no-headers -d 'The CSV/TSV has no header row: columns are untitled_1, untitled_2, ... (implies --csv unless --tsv)'
complete -c litewrite -n "__fish_litewrite_using_subcommand update" -l flatten -d 'Store nested objects as columns: {"a": {"b": 1}} becomes column a_b'
complete -c litewrite -n "__fish_litewrite_using_subcommand update" -l dry-run -d 'Run the job and its wrappers, print the changes it would make, roll back'
complete -c litewrite -n "__fish_litewrite_using_subcommand update" -l json -d 'Print a JSON result object on stdout (errors too)'
complete -c litewrite -n "__fish_litewrite_using_subcommand update" -s q -l quiet -d 'Print less on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand update" -s v -l verbose -d 'Print more detail on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand update" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c litewrite -n "__fish_litewrite_using_subcommand delete" -l where -d 'Delete all rows matching this SQL condition. It must be one expression: it is checked to stay inside the parentheses it is put in (no unbalanced ")", no ";")' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand delete" -s p -l param -d 'A named parameter for --where (:NAME in the SQL)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand delete" -l delimiter -d 'CSV/TSV field delimiter, e.g. \';\' or \'\\t\' (implies --csv unless --tsv)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand delete" -l quotechar -d 'CSV/TSV quote character [default: "] (implies --csv unless --tsv)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand delete" -l encoding -d 'The input\'s character encoding, e.g. latin-1, cp1252, utf-16 [default: utf-8]' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand delete" -l config -d 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]' -r -F
complete -c litewrite -n "__fish_litewrite_using_subcommand delete" -l actor -d 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand delete" -s m -l message -d 'A note for this write\'s change group and audit entries' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand delete" -l tx -d 'Run this command inside an open transaction (see `tx`)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand delete" -l all -d 'Delete every row of the table'
complete -c litewrite -n "__fish_litewrite_using_subcommand delete" -l nl -d 'Read newline-delimited JSON (one object per line)'
complete -c litewrite -n "__fish_litewrite_using_subcommand delete" -s c -l csv -d 'Read CSV with a header row (also from a .csv file name)'
complete -c litewrite -n "__fish_litewrite_using_subcommand delete" -l tsv -d 'Read TSV with a header row (also from a .tsv file name)'
complete -c litewrite -n "__fish_litewrite_using_subcommand delete" -l sniff -d 'Detect the CSV delimiter and quote character (implies --csv unless --tsv)'
complete -c litewrite -n "__fish_litewrite_using_subcommand delete" -l no-headers -d 'The CSV/TSV has no header row: columns are untitled_1, untitled_2, ... (implies --csv unless --tsv)'
complete -c litewrite -n "__fish_litewrite_using_subcommand delete" -l dry-run -d 'Run the job and its wrappers, print the changes it would make, roll back'
complete -c litewrite -n "__fish_litewrite_using_subcommand delete" -l json -d 'Print a JSON result object on stdout (errors too)'
complete -c litewrite -n "__fish_litewrite_using_subcommand delete" -s q -l quiet -d 'Print less on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand delete" -s v -l verbose -d 'Print more detail on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand delete" -s h -l help -d 'Print help'
complete -c litewrite -n "__fish_litewrite_using_subcommand create" -l pk -d 'Primary key column (repeat for a compound key)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand create" -l not-null -d 'Make this column NOT NULL (repeatable)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand create" -l default -d 'Default value of a column: COL=VALUE, or COL VALUE as sqlite-utils spells it (repeatable)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand create" -l fk -d 'Foreign key: COL references TABLE.COL (repeatable)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand create" -l config -d 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]' -r -F
complete -c litewrite -n "__fish_litewrite_using_subcommand create" -l actor -d 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand create" -s m -l message -d 'A note for this write\'s change group and audit entries' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand create" -l tx -d 'Run this command inside an open transaction (see `tx`)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand create" -l strict -d 'Create a STRICT table'
complete -c litewrite -n "__fish_litewrite_using_subcommand create" -l ignore -d 'Keep an existing table of that name and succeed'
complete -c litewrite -n "__fish_litewrite_using_subcommand create" -l replace -d 'Drop an existing table of that name first'
complete -c litewrite -n "__fish_litewrite_using_subcommand create" -l dry-run -d 'Run the job and its wrappers, print the changes it would make, roll back'
complete -c litewrite -n "__fish_litewrite_using_subcommand create" -l json -d 'Print a JSON result object on stdout (errors too)'
complete -c litewrite -n "__fish_litewrite_using_subcommand create" -s q -l quiet -d 'Print less on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand create" -s v -l verbose -d 'Print more detail on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c litewrite -n "__fish_litewrite_using_subcommand drop" -l config -d 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]' -r -F
complete -c litewrite -n "__fish_litewrite_using_subcommand drop" -l actor -d 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand drop" -s m -l message -d 'A note for this write\'s change group and audit entries' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand drop" -l tx -d 'Run this command inside an open transaction (see `tx`)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand drop" -l ignore -d 'Succeed when the table does not exist'
complete -c litewrite -n "__fish_litewrite_using_subcommand drop" -l dry-run -d 'Run the job and its wrappers, print the changes it would make, roll back'
complete -c litewrite -n "__fish_litewrite_using_subcommand drop" -l json -d 'Print a JSON result object on stdout (errors too)'
complete -c litewrite -n "__fish_litewrite_using_subcommand drop" -s q -l quiet -d 'Print less on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand drop" -s v -l verbose -d 'Print more detail on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand drop" -s h -l help -d 'Print help'
complete -c litewrite -n "__fish_litewrite_using_subcommand query" -s p -l param -d 'A named parameter (:NAME in the SQL), bound as text' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand query" -s j -l param-json -d 'A named parameter given as JSON and bound with its type: 30 an integer, 2.5 a real, null NULL, true 1, "x" text, [..] or {..} JSON text, {"$base64": true, "encoded": ".."} a BLOB' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand query" -l time-limit -d 'Interrupt the SQL when it runs longer than this many milliseconds' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand query" -l format -d 'Output format [default: json]' -r -f -a "json\t''
ndjson\t''
csv\t''
tsv\t''
table\t''"
complete -c litewrite -n "__fish_litewrite_using_subcommand query" -l fmt -d 'Table style (implies --table)' -r -f -a "utf8\t'Box-drawing lines (the default)'
github\t'Markdown, as GitHub renders it'
grid\t'ASCII lines around every cell'
fancy-grid\t'Box-drawing lines around every cell'
rounded\t'Rounded box-drawing corners'
psql\t'ASCII header rule and outer border, as psql prints'
simple\t'A rule under the header only'
plain\t'No lines at all'"
complete -c litewrite -n "__fish_litewrite_using_subcommand query" -l config -d 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]' -r -F
complete -c litewrite -n "__fish_litewrite_using_subcommand query" -l actor -d 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand query" -s m -l message -d 'A note for this write\'s change group and audit entries' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand query" -l tx -d 'Run this command inside an open transaction (see `tx`)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand query" -l csv -d 'CSV with a header row (--format csv)'
complete -c litewrite -n "__fish_litewrite_using_subcommand query" -l tsv -d 'TSV with a header row (--format tsv)'
complete -c litewrite -n "__fish_litewrite_using_subcommand query" -l nl -d 'Newline-delimited JSON, one row per line (--format ndjson)'
complete -c litewrite -n "__fish_litewrite_using_subcommand query" -s t -l table -d 'A table for the terminal (--format table)'
complete -c litewrite -n "__fish_litewrite_using_subcommand query" -l arrays -d 'JSON rows as arrays of values instead of objects'
complete -c litewrite -n "__fish_litewrite_using_subcommand query" -l no-headers -d 'CSV, TSV and tables without the header row'
complete -c litewrite -n "__fish_litewrite_using_subcommand query" -l raw -d 'Only the first column of the first row, as it is (text unquoted, BLOB bytes)'
complete -c litewrite -n "__fish_litewrite_using_subcommand query" -l raw-lines -d 'Only the first column of each row, one per line, as it is'
complete -c litewrite -n "__fish_litewrite_using_subcommand query" -l json-cols -d 'Print text cells that hold JSON as JSON, not as strings'
complete -c litewrite -n "__fish_litewrite_using_subcommand query" -l dry-run -d 'Run the job and its wrappers, print the changes it would make, roll back'
complete -c litewrite -n "__fish_litewrite_using_subcommand query" -l json -d 'Print a JSON result object on stdout (errors too)'
complete -c litewrite -n "__fish_litewrite_using_subcommand query" -s q -l quiet -d 'Print less on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand query" -s v -l verbose -d 'Print more detail on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand query" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c litewrite -n "__fish_litewrite_using_subcommand schema" -l config -d 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]' -r -F
complete -c litewrite -n "__fish_litewrite_using_subcommand schema" -l actor -d 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand schema" -s m -l message -d 'A note for this write\'s change group and audit entries' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand schema" -l tx -d 'Run this command inside an open transaction (see `tx`)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand schema" -l dry-run -d 'Run the job and its wrappers, print the changes it would make, roll back'
complete -c litewrite -n "__fish_litewrite_using_subcommand schema" -l json -d 'Print a JSON result object on stdout (errors too)'
complete -c litewrite -n "__fish_litewrite_using_subcommand schema" -s q -l quiet -d 'Print less on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand schema" -s v -l verbose -d 'Print more detail on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand schema" -s h -l help -d 'Print help'
complete -c litewrite -n "__fish_litewrite_using_subcommand history" -l table -d 'Only groups that changed this table' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand history" -l actor -d 'Only groups made by this actor' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand history" -l limit -d 'At most this many groups' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand history" -l format -d 'Output format (--json means json)' -r -f -a "json\t''
ndjson\t''
csv\t''
tsv\t''
table\t''"
complete -c litewrite -n "__fish_litewrite_using_subcommand history" -l config -d 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]' -r -F
complete -c litewrite -n "__fish_litewrite_using_subcommand history" -s m -l message -d 'A note for this write\'s change group and audit entries' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand history" -l tx -d 'Run this command inside an open transaction (see `tx`)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand history" -l dry-run -d 'Run the job and its wrappers, print the changes it would make, roll back'
complete -c litewrite -n "__fish_litewrite_using_subcommand history" -l json -d 'Print a JSON result object on stdout (errors too)'
complete -c litewrite -n "__fish_litewrite_using_subcommand history" -s q -l quiet -d 'Print less on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand history" -s v -l verbose -d 'Print more detail on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand history" -s h -l help -d 'Print help'
complete -c litewrite -n "__fish_litewrite_using_subcommand show" -l format -d 'Output format (--json means json)' -r -f -a "json\t''
ndjson\t''
csv\t''
tsv\t''
table\t''"
complete -c litewrite -n "__fish_litewrite_using_subcommand show" -l config -d 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]' -r -F
complete -c litewrite -n "__fish_litewrite_using_subcommand show" -l actor -d 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand show" -s m -l message -d 'A note for this write\'s change group and audit entries' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand show" -l tx -d 'Run this command inside an open transaction (see `tx`)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand show" -l dry-run -d 'Run the job and its wrappers, print the changes it would make, roll back'
complete -c litewrite -n "__fish_litewrite_using_subcommand show" -l json -d 'Print a JSON result object on stdout (errors too)'
complete -c litewrite -n "__fish_litewrite_using_subcommand show" -s q -l quiet -d 'Print less on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand show" -s v -l verbose -d 'Print more detail on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c litewrite -n "__fish_litewrite_using_subcommand undo" -l config -d 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]' -r -F
complete -c litewrite -n "__fish_litewrite_using_subcommand undo" -l actor -d 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand undo" -s m -l message -d 'A note for this write\'s change group and audit entries' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand undo" -l tx -d 'Run this command inside an open transaction (see `tx`)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand undo" -l force -d 'Revert even rows changed since the group'
complete -c litewrite -n "__fish_litewrite_using_subcommand undo" -l dry-run -d 'Run the job and its wrappers, print the changes it would make, roll back'
complete -c litewrite -n "__fish_litewrite_using_subcommand undo" -l json -d 'Print a JSON result object on stdout (errors too)'
complete -c litewrite -n "__fish_litewrite_using_subcommand undo" -s q -l quiet -d 'Print less on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand undo" -s v -l verbose -d 'Print more detail on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand undo" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c litewrite -n "__fish_litewrite_using_subcommand prune" -l before -d 'Delete the groups recorded before this time (RFC 3339, or a date)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand prune" -l keep -d 'Keep the newest N groups and delete the older ones' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand prune" -l config -d 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]' -r -F
complete -c litewrite -n "__fish_litewrite_using_subcommand prune" -l actor -d 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand prune" -s m -l message -d 'A note for this write\'s change group and audit entries' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand prune" -l tx -d 'Run this command inside an open transaction (see `tx`)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand prune" -l audit -d 'Also delete the audit entries older than the groups kept (with --keep: older than the oldest group kept)'
complete -c litewrite -n "__fish_litewrite_using_subcommand prune" -l dry-run -d 'Run the job and its wrappers, print the changes it would make, roll back'
complete -c litewrite -n "__fish_litewrite_using_subcommand prune" -l json -d 'Print a JSON result object on stdout (errors too)'
complete -c litewrite -n "__fish_litewrite_using_subcommand prune" -s q -l quiet -d 'Print less on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand prune" -s v -l verbose -d 'Print more detail on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand prune" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c litewrite -n "__fish_litewrite_using_subcommand audit; and not __fish_seen_subcommand_from verify head help" -l since -d 'Only entries at or after this time (RFC 3339, or a date)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand audit; and not __fish_seen_subcommand_from verify head help" -l actor -d 'Only entries by this actor' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand audit; and not __fish_seen_subcommand_from verify head help" -l table -d 'Only entries about this table' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand audit; and not __fish_seen_subcommand_from verify head help" -l limit -d 'Only the newest N entries (still printed oldest first)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand audit; and not __fish_seen_subcommand_from verify head help" -l format -d 'Output format (--json means json)' -r -f -a "json\t''
ndjson\t''
csv\t''
tsv\t''
table\t''"
complete -c litewrite -n "__fish_litewrite_using_subcommand audit; and not __fish_seen_subcommand_from verify head help" -l config -d 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]' -r -F
complete -c litewrite -n "__fish_litewrite_using_subcommand audit; and not __fish_seen_subcommand_from verify head help" -s m -l message -d 'A note for this write\'s change group and audit entries' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand audit; and not __fish_seen_subcommand_from verify head help" -l tx -d 'Run this command inside an open transaction (see `tx`)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand audit; and not __fish_seen_subcommand_from verify head help" -l dry-run -d 'Run the job and its wrappers, print the changes it would make, roll back'
complete -c litewrite -n "__fish_litewrite_using_subcommand audit; and not __fish_seen_subcommand_from verify head help" -l json -d 'Print a JSON result object on stdout (errors too)'
complete -c litewrite -n "__fish_litewrite_using_subcommand audit; and not __fish_seen_subcommand_from verify head help" -s q -l quiet -d 'Print less on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand audit; and not __fish_seen_subcommand_from verify head help" -s v -l verbose -d 'Print more detail on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand audit; and not __fish_seen_subcommand_from verify head help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c litewrite -n "__fish_litewrite_using_subcommand audit; and not __fish_seen_subcommand_from verify head help" -a "verify" -d 'Check the hash chain: any modified, deleted, inserted or reordered entry is reported and fails'
complete -c litewrite -n "__fish_litewrite_using_subcommand audit; and not __fish_seen_subcommand_from verify head help" -a "head" -d 'Print the chain\'s last entry as {"id": N, "hash": "..."}, to keep outside the database'
complete -c litewrite -n "__fish_litewrite_using_subcommand audit; and not __fish_seen_subcommand_from verify head help" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c litewrite -n "__fish_litewrite_using_subcommand audit; and __fish_seen_subcommand_from verify" -l head -d 'Also fail unless this entry is still in the chain: the hash (or the JSON object) `audit head` printed earlier. Detects a truncated or rewritten chain' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand audit; and __fish_seen_subcommand_from verify" -l file -d 'Also cross-check the JSON lines of the audit file sink against the table: the file plugins.toml names, or PATH' -r -F
complete -c litewrite -n "__fish_litewrite_using_subcommand audit; and __fish_seen_subcommand_from verify" -l config -d 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]' -r -F
complete -c litewrite -n "__fish_litewrite_using_subcommand audit; and __fish_seen_subcommand_from verify" -s m -l message -d 'A note for this write\'s change group and audit entries' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand audit; and __fish_seen_subcommand_from verify" -l tx -d 'Run this command inside an open transaction (see `tx`)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand audit; and __fish_seen_subcommand_from verify" -l dry-run -d 'Run the job and its wrappers, print the changes it would make, roll back'
complete -c litewrite -n "__fish_litewrite_using_subcommand audit; and __fish_seen_subcommand_from verify" -l json -d 'Print a JSON result object on stdout (errors too)'
complete -c litewrite -n "__fish_litewrite_using_subcommand audit; and __fish_seen_subcommand_from verify" -s q -l quiet -d 'Print less on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand audit; and __fish_seen_subcommand_from verify" -s v -l verbose -d 'Print more detail on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand audit; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help'
complete -c litewrite -n "__fish_litewrite_using_subcommand audit; and __fish_seen_subcommand_from head" -l config -d 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]' -r -F
complete -c litewrite -n "__fish_litewrite_using_subcommand audit; and __fish_seen_subcommand_from head" -s m -l message -d 'A note for this write\'s change group and audit entries' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand audit; and __fish_seen_subcommand_from head" -l tx -d 'Run this command inside an open transaction (see `tx`)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand audit; and __fish_seen_subcommand_from head" -l dry-run -d 'Run the job and its wrappers, print the changes it would make, roll back'
complete -c litewrite -n "__fish_litewrite_using_subcommand audit; and __fish_seen_subcommand_from head" -l json -d 'Print a JSON result object on stdout (errors too)'
complete -c litewrite -n "__fish_litewrite_using_subcommand audit; and __fish_seen_subcommand_from head" -s q -l quiet -d 'Print less on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand audit; and __fish_seen_subcommand_from head" -s v -l verbose -d 'Print more detail on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand audit; and __fish_seen_subcommand_from head" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c litewrite -n "__fish_litewrite_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Check the hash chain: any modified, deleted, inserted or reordered entry is reported and fails'
complete -c litewrite -n "__fish_litewrite_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "head" -d 'Print the chain\'s last entry as {"id": N, "hash": "..."}, to keep outside the database'
complete -c litewrite -n "__fish_litewrite_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and not __fish_seen_subcommand_from begin exec savepoint release rollback-to commit rollback list status help" -l config -d 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]' -r -F
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and not __fish_seen_subcommand_from begin exec savepoint release rollback-to commit rollback list status help" -l actor -d 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and not __fish_seen_subcommand_from begin exec savepoint release rollback-to commit rollback list status help" -s m -l message -d 'A note for this write\'s change group and audit entries' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and not __fish_seen_subcommand_from begin exec savepoint release rollback-to commit rollback list status help" -l tx -d 'Run this command inside an open transaction (see `tx`)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and not __fish_seen_subcommand_from begin exec savepoint release rollback-to commit rollback list status help" -l dry-run -d 'Run the job and its wrappers, print the changes it would make, roll back'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and not __fish_seen_subcommand_from begin exec savepoint release rollback-to commit rollback list status help" -l json -d 'Print a JSON result object on stdout (errors too)'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and not __fish_seen_subcommand_from begin exec savepoint release rollback-to commit rollback list status help" -s q -l quiet -d 'Print less on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and not __fish_seen_subcommand_from begin exec savepoint release rollback-to commit rollback list status help" -s v -l verbose -d 'Print more detail on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and not __fish_seen_subcommand_from begin exec savepoint release rollback-to commit rollback list status help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and not __fish_seen_subcommand_from begin exec savepoint release rollback-to commit rollback list status help" -f -a "begin" -d 'Begin a transaction; prints only its id once it holds its locks'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and not __fish_seen_subcommand_from begin exec savepoint release rollback-to commit rollback list status help" -f -a "exec" -d 'Run SQL in the transaction; prints rows like `query`'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and not __fish_seen_subcommand_from begin exec savepoint release rollback-to commit rollback list status help" -f -a "savepoint" -d 'Create a savepoint'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and not __fish_seen_subcommand_from begin exec savepoint release rollback-to commit rollback list status help" -f -a "release" -d 'Release (forget) a savepoint, keeping its changes'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and not __fish_seen_subcommand_from begin exec savepoint release rollback-to commit rollback list status help" -f -a "rollback-to" -d 'Undo the changes since a savepoint (the savepoint stays)'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and not __fish_seen_subcommand_from begin exec savepoint release rollback-to commit rollback list status help" -f -a "commit" -d 'Commit the transaction'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and not __fish_seen_subcommand_from begin exec savepoint release rollback-to commit rollback list status help" -f -a "rollback" -d 'Roll the transaction back'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and not __fish_seen_subcommand_from begin exec savepoint release rollback-to commit rollback list status help" -f -a "list" -d 'List your open transactions'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and not __fish_seen_subcommand_from begin exec savepoint release rollback-to commit rollback list status help" -f -a "status" -d 'Show a transaction\'s database, tables and time left'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and not __fish_seen_subcommand_from begin exec savepoint release rollback-to commit rollback list status help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from begin" -l read -d 'A table the transaction may read (repeatable; it must exist)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from begin" -l write -d 'A table the transaction may write, and read (repeatable; it must exist: a name that does not is a typo, exit 4). A pattern (`staging_*`) may also match tables created later' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from begin" -l create -d 'A table the transaction may create, then write and read (repeatable; it must not exist yet)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from begin" -l timeout -d 'Roll back when this much time passes (e.g. 30s, 5m, 1h)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from begin" -l config -d 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]' -r -F
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from begin" -l actor -d 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from begin" -s m -l message -d 'A note for this write\'s change group and audit entries' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from begin" -l tx -d 'Run this command inside an open transaction (see `tx`)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from begin" -l dry-run -d 'Run the job and its wrappers, print the changes it would make, roll back'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from begin" -l json -d 'Print a JSON result object on stdout (errors too)'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from begin" -s q -l quiet -d 'Print less on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from begin" -s v -l verbose -d 'Print more detail on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from begin" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from exec" -s p -l param -d 'A named parameter (:NAME in the SQL), bound as text' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from exec" -s j -l param-json -d 'A named parameter given as JSON and bound with its type: 30 an integer, 2.5 a real, null NULL, true 1, "x" text, [..] or {..} JSON text, {"$base64": true, "encoded": ".."} a BLOB' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from exec" -l time-limit -d 'Interrupt the SQL when it runs longer than this many milliseconds' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from exec" -l format -d 'Output format [default: json]' -r -f -a "json\t''
ndjson\t''
csv\t''
tsv\t''
table\t''"
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from exec" -l fmt -d 'Table style (implies --table)' -r -f -a "utf8\t'Box-drawing lines (the default)'
github\t'Markdown, as GitHub renders it'
grid\t'ASCII lines around every cell'
fancy-grid\t'Box-drawing lines around every cell'
rounded\t'Rounded box-drawing corners'
psql\t'ASCII header rule and outer border, as psql prints'
simple\t'A rule under the header only'
plain\t'No lines at all'"
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from exec" -l config -d 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]' -r -F
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from exec" -l actor -d 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from exec" -s m -l message -d 'A note for this write\'s change group and audit entries' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from exec" -l tx -d 'Run this command inside an open transaction (see `tx`)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from exec" -l csv -d 'CSV with a header row (--format csv)'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from exec" -l tsv -d 'TSV with a header row (--format tsv)'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from exec" -l nl -d 'Newline-delimited JSON, one row per line (--format ndjson)'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from exec" -s t -l table -d 'A table for the terminal (--format table)'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from exec" -l arrays -d 'JSON rows as arrays of values instead of objects'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from exec" -l no-headers -d 'CSV, TSV and tables without the header row'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from exec" -l raw -d 'Only the first column of the first row, as it is (text unquoted, BLOB bytes)'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from exec" -l raw-lines -d 'Only the first column of each row, one per line, as it is'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from exec" -l json-cols -d 'Print text cells that hold JSON as JSON, not as strings'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from exec" -l dry-run -d 'Run the job and its wrappers, print the changes it would make, roll back'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from exec" -l json -d 'Print a JSON result object on stdout (errors too)'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from exec" -s q -l quiet -d 'Print less on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from exec" -s v -l verbose -d 'Print more detail on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from exec" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from savepoint" -l config -d 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]' -r -F
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from savepoint" -l actor -d 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from savepoint" -s m -l message -d 'A note for this write\'s change group and audit entries' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from savepoint" -l tx -d 'Run this command inside an open transaction (see `tx`)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from savepoint" -l dry-run -d 'Run the job and its wrappers, print the changes it would make, roll back'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from savepoint" -l json -d 'Print a JSON result object on stdout (errors too)'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from savepoint" -s q -l quiet -d 'Print less on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from savepoint" -s v -l verbose -d 'Print more detail on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from savepoint" -s h -l help -d 'Print help'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from release" -l config -d 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]' -r -F
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from release" -l actor -d 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from release" -s m -l message -d 'A note for this write\'s change group and audit entries' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from release" -l tx -d 'Run this command inside an open transaction (see `tx`)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from release" -l dry-run -d 'Run the job and its wrappers, print the changes it would make, roll back'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from release" -l json -d 'Print a JSON result object on stdout (errors too)'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from release" -s q -l quiet -d 'Print less on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from release" -s v -l verbose -d 'Print more detail on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from release" -s h -l help -d 'Print help'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from rollback-to" -l config -d 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]' -r -F
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from rollback-to" -l actor -d 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from rollback-to" -s m -l message -d 'A note for this write\'s change group and audit entries' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from rollback-to" -l tx -d 'Run this command inside an open transaction (see `tx`)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from rollback-to" -l dry-run -d 'Run the job and its wrappers, print the changes it would make, roll back'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from rollback-to" -l json -d 'Print a JSON result object on stdout (errors too)'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from rollback-to" -s q -l quiet -d 'Print less on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from rollback-to" -s v -l verbose -d 'Print more detail on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from rollback-to" -s h -l help -d 'Print help'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from commit" -l config -d 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]' -r -F
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from commit" -l actor -d 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from commit" -s m -l message -d 'A note for this write\'s change group and audit entries' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from commit" -l tx -d 'Run this command inside an open transaction (see `tx`)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from commit" -l dry-run -d 'Run the job and its wrappers, print the changes it would make, roll back'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from commit" -l json -d 'Print a JSON result object on stdout (errors too)'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from commit" -s q -l quiet -d 'Print less on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from commit" -s v -l verbose -d 'Print more detail on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from commit" -s h -l help -d 'Print help'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from rollback" -l config -d 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]' -r -F
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from rollback" -l actor -d 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from rollback" -s m -l message -d 'A note for this write\'s change group and audit entries' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from rollback" -l tx -d 'Run this command inside an open transaction (see `tx`)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from rollback" -l dry-run -d 'Run the job and its wrappers, print the changes it would make, roll back'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from rollback" -l json -d 'Print a JSON result object on stdout (errors too)'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from rollback" -s q -l quiet -d 'Print less on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from rollback" -s v -l verbose -d 'Print more detail on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from rollback" -s h -l help -d 'Print help'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from list" -l config -d 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]' -r -F
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from list" -l actor -d 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from list" -s m -l message -d 'A note for this write\'s change group and audit entries' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from list" -l tx -d 'Run this command inside an open transaction (see `tx`)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from list" -l dry-run -d 'Run the job and its wrappers, print the changes it would make, roll back'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from list" -l json -d 'Print a JSON result object on stdout (errors too)'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print less on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Print more detail on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from status" -l config -d 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]' -r -F
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from status" -l actor -d 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from status" -s m -l message -d 'A note for this write\'s change group and audit entries' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from status" -l tx -d 'Run this command inside an open transaction (see `tx`)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from status" -l dry-run -d 'Run the job and its wrappers, print the changes it would make, roll back'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from status" -l json -d 'Print a JSON result object on stdout (errors too)'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Print less on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from status" -s v -l verbose -d 'Print more detail on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from help" -f -a "begin" -d 'Begin a transaction; prints only its id once it holds its locks'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from help" -f -a "exec" -d 'Run SQL in the transaction; prints rows like `query`'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from help" -f -a "savepoint" -d 'Create a savepoint'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from help" -f -a "release" -d 'Release (forget) a savepoint, keeping its changes'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from help" -f -a "rollback-to" -d 'Undo the changes since a savepoint (the savepoint stays)'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from help" -f -a "commit" -d 'Commit the transaction'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from help" -f -a "rollback" -d 'Roll the transaction back'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from help" -f -a "list" -d 'List your open transactions'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from help" -f -a "status" -d 'Show a transaction\'s database, tables and time left'
complete -c litewrite -n "__fish_litewrite_using_subcommand tx; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c litewrite -n "__fish_litewrite_using_subcommand config" -l config -d 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]' -r -F
complete -c litewrite -n "__fish_litewrite_using_subcommand config" -l actor -d 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand config" -s m -l message -d 'A note for this write\'s change group and audit entries' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand config" -l tx -d 'Run this command inside an open transaction (see `tx`)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand config" -l dry-run -d 'Run the job and its wrappers, print the changes it would make, roll back'
complete -c litewrite -n "__fish_litewrite_using_subcommand config" -l json -d 'Print a JSON result object on stdout (errors too)'
complete -c litewrite -n "__fish_litewrite_using_subcommand config" -s q -l quiet -d 'Print less on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand config" -s v -l verbose -d 'Print more detail on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand config" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c litewrite -n "__fish_litewrite_using_subcommand completions" -l config -d 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]' -r -F
complete -c litewrite -n "__fish_litewrite_using_subcommand completions" -l actor -d 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand completions" -s m -l message -d 'A note for this write\'s change group and audit entries' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand completions" -l tx -d 'Run this command inside an open transaction (see `tx`)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand completions" -l dry-run -d 'Run the job and its wrappers, print the changes it would make, roll back'
complete -c litewrite -n "__fish_litewrite_using_subcommand completions" -l json -d 'Print a JSON result object on stdout (errors too)'
complete -c litewrite -n "__fish_litewrite_using_subcommand completions" -s q -l quiet -d 'Print less on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand completions" -s v -l verbose -d 'Print more detail on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand completions" -s h -l help -d 'Print help'
complete -c litewrite -n "__fish_litewrite_using_subcommand man" -l dir -d 'Write every page as a file into this directory (created if missing)' -r -F
complete -c litewrite -n "__fish_litewrite_using_subcommand man" -l config -d 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]' -r -F
complete -c litewrite -n "__fish_litewrite_using_subcommand man" -l actor -d 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand man" -s m -l message -d 'A note for this write\'s change group and audit entries' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand man" -l tx -d 'Run this command inside an open transaction (see `tx`)' -r
complete -c litewrite -n "__fish_litewrite_using_subcommand man" -l dry-run -d 'Run the job and its wrappers, print the changes it would make, roll back'
complete -c litewrite -n "__fish_litewrite_using_subcommand man" -l json -d 'Print a JSON result object on stdout (errors too)'
complete -c litewrite -n "__fish_litewrite_using_subcommand man" -s q -l quiet -d 'Print less on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand man" -s v -l verbose -d 'Print more detail on stderr'
complete -c litewrite -n "__fish_litewrite_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c litewrite -n "__fish_litewrite_using_subcommand help; and not __fish_seen_subcommand_from insert upsert update delete create drop query schema history show undo prune audit tx config completions man help" -f -a "insert" -d 'Insert rows from JSON, NDJSON, CSV, TSV or the command line'
complete -c litewrite -n "__fish_litewrite_using_subcommand help; and not __fish_seen_subcommand_from insert upsert update delete create drop query schema history show undo prune audit tx config completions man help" -f -a "upsert" -d 'Insert new rows and update existing ones by primary key'
complete -c litewrite -n "__fish_litewrite_using_subcommand help; and not __fish_seen_subcommand_from insert upsert update delete create drop query schema history show undo prune audit tx config completions man help" -f -a "update" -d 'Update one row by its primary key, the rows matching --where, or rows from stdin'
complete -c litewrite -n "__fish_litewrite_using_subcommand help; and not __fish_seen_subcommand_from insert upsert update delete create drop query schema history show undo prune audit tx config completions man help" -f -a "delete" -d 'Delete one row by its primary key, the rows matching --where, or keys from stdin'
complete -c litewrite -n "__fish_litewrite_using_subcommand help; and not __fish_seen_subcommand_from insert upsert update delete create drop query schema history show undo prune audit tx config completions man help" -f -a "create" -d 'Create a table'
complete -c litewrite -n "__fish_litewrite_using_subcommand help; and not __fish_seen_subcommand_from insert upsert update delete create drop query schema history show undo prune audit tx config completions man help" -f -a "drop" -d 'Drop a table'
complete -c litewrite -n "__fish_litewrite_using_subcommand help; and not __fish_seen_subcommand_from insert upsert update delete create drop query schema history show undo prune audit tx config completions man help" -f -a "query" -d 'Run SQL and print the rows of the last statement that returns rows'
complete -c litewrite -n "__fish_litewrite_using_subcommand help; and not __fish_seen_subcommand_from insert upsert update delete create drop query schema history show undo prune audit tx config completions man help" -f -a "schema" -d 'Show tables and views with columns, keys, foreign keys and indexes'
complete -c litewrite -n "__fish_litewrite_using_subcommand help; and not __fish_seen_subcommand_from insert upsert update delete create drop query schema history show undo prune audit tx config completions man help" -f -a "history" -d 'List change groups, newest first: id, time, actor, message, command, tables and row counts'
complete -c litewrite -n "__fish_litewrite_using_subcommand help; and not __fish_seen_subcommand_from insert upsert update delete create drop query schema history show undo prune audit tx config completions man help" -f -a "show" -d 'Show a change group\'s row changes: table, operation, key, before and after values'
complete -c litewrite -n "__fish_litewrite_using_subcommand help; and not __fish_seen_subcommand_from insert upsert update delete create drop query schema history show undo prune audit tx config completions man help" -f -a "undo" -d 'Revert a change group, as a new recorded group'
complete -c litewrite -n "__fish_litewrite_using_subcommand help; and not __fish_seen_subcommand_from insert upsert update delete create drop query schema history show undo prune audit tx config completions man help" -f -a "prune" -d 'Delete old change groups, which can then no longer be undone'
complete -c litewrite -n "__fish_litewrite_using_subcommand help; and not __fish_seen_subcommand_from insert upsert update delete create drop query schema history show undo prune audit tx config completions man help" -f -a "audit" -d 'Read the audit log (oldest first), verify its hash chain, or print its head'
complete -c litewrite -n "__fish_litewrite_using_subcommand help; and not __fish_seen_subcommand_from insert upsert update delete create drop query schema history show undo prune audit tx config completions man help" -f -a "tx" -d 'Transactions that span several invocations'
complete -c litewrite -n "__fish_litewrite_using_subcommand help; and not __fish_seen_subcommand_from insert upsert update delete create drop query schema history show undo prune audit tx config completions man help" -f -a "config" -d 'Show the configuration in effect: the wrapper chain and the file it came from'
complete -c litewrite -n "__fish_litewrite_using_subcommand help; and not __fish_seen_subcommand_from insert upsert update delete create drop query schema history show undo prune audit tx config completions man help" -f -a "completions" -d 'Print a shell completion script'
complete -c litewrite -n "__fish_litewrite_using_subcommand help; and not __fish_seen_subcommand_from insert upsert update delete create drop query schema history show undo prune audit tx config completions man help" -f -a "man" -d 'Print a man page (roff), or write them all to a directory'
complete -c litewrite -n "__fish_litewrite_using_subcommand help; and not __fish_seen_subcommand_from insert upsert update delete create drop query schema history show undo prune audit tx config completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c litewrite -n "__fish_litewrite_using_subcommand help; and __fish_seen_subcommand_from audit" -f -a "verify" -d 'Check the hash chain: any modified, deleted, inserted or reordered entry is reported and fails'
complete -c litewrite -n "__fish_litewrite_using_subcommand help; and __fish_seen_subcommand_from audit" -f -a "head" -d 'Print the chain\'s last entry as {"id": N, "hash": "..."}, to keep outside the database'
complete -c litewrite -n "__fish_litewrite_using_subcommand help; and __fish_seen_subcommand_from tx" -f -a "begin" -d 'Begin a transaction; prints only its id once it holds its locks'
complete -c litewrite -n "__fish_litewrite_using_subcommand help; and __fish_seen_subcommand_from tx" -f -a "exec" -d 'Run SQL in the transaction; prints rows like `query`'
complete -c litewrite -n "__fish_litewrite_using_subcommand help; and __fish_seen_subcommand_from tx" -f -a "savepoint" -d 'Create a savepoint'
complete -c litewrite -n "__fish_litewrite_using_subcommand help; and __fish_seen_subcommand_from tx" -f -a "release" -d 'Release (forget) a savepoint, keeping its changes'
complete -c litewrite -n "__fish_litewrite_using_subcommand help; and __fish_seen_subcommand_from tx" -f -a "rollback-to" -d 'Undo the changes since a savepoint (the savepoint stays)'
complete -c litewrite -n "__fish_litewrite_using_subcommand help; and __fish_seen_subcommand_from tx" -f -a "commit" -d 'Commit the transaction'
complete -c litewrite -n "__fish_litewrite_using_subcommand help; and __fish_seen_subcommand_from tx" -f -a "rollback" -d 'Roll the transaction back'
complete -c litewrite -n "__fish_litewrite_using_subcommand help; and __fish_seen_subcommand_from tx" -f -a "list" -d 'List your open transactions'
complete -c litewrite -n "__fish_litewrite_using_subcommand help; and __fish_seen_subcommand_from tx" -f -a "status" -d 'Show a transaction\'s database, tables and time left'
