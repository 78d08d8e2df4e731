
use builtin;
use str;

set edit:completion:arg-completer[litewrite] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'litewrite'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'litewrite'= {
            cand --config 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]'
            cand --actor 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]'
            cand -m 'A note for this write''s change group and audit entries'
            cand --message 'A note for this write''s change group and audit entries'
            cand --tx 'Run this command inside an open transaction (see `tx`)'
            cand --dry-run 'Run the job and its wrappers, print the changes it would make, roll back'
            cand --json 'Print a JSON result object on stdout (errors too)'
            cand -q 'Print less on stderr'
            cand --quiet 'Print less on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand insert 'Insert rows from JSON, NDJSON, CSV, TSV or the command line'
            cand upsert 'Insert new rows and update existing ones by primary key'
            cand update 'Update one row by its primary key, the rows matching --where, or rows from stdin'
            cand delete 'Delete one row by its primary key, the rows matching --where, or keys from stdin'
            cand create 'Create a table'
            cand drop 'Drop a table'
            cand query 'Run SQL and print the rows of the last statement that returns rows'
            cand schema 'Show tables and views with columns, keys, foreign keys and indexes'
            cand history 'List change groups, newest first: id, time, actor, message, command, tables and row counts'
            cand show 'Show a change group''s row changes: table, operation, key, before and after values'
            cand undo 'Revert a change group, as a new recorded group'
            cand prune 'Delete old change groups, which can then no longer be undone'
            cand audit 'Read the audit log (oldest first), verify its hash chain, or print its head'
            cand tx 'Transactions that span several invocations'
            cand config 'Show the configuration in effect: the wrapper chain and the file it came from'
            cand completions 'Print a shell completion script'
            cand man 'Print a man page (roff), or write them all to a directory'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'litewrite;insert'= {
            cand --batch-size 'Commit every N rows instead of once (each batch its own change group)'
            cand --pk 'Primary key column of a new table (repeat for a compound key)'
            cand --not-null 'Make this column of a new table NOT NULL (repeatable)'
            cand --default 'Default value of a column of a new table: COL=VALUE, or COL VALUE as sqlite-utils spells it (repeatable)'
            cand --type 'Type of a column of a new table: COL=TYPE, or COL TYPE as sqlite-utils spells it; TYPE is text, integer, real, float, blob or any (repeatable)'
            cand --delimiter 'CSV/TSV field delimiter, e.g. '';'' or ''\t'' (implies --csv unless --tsv)'
            cand --quotechar 'CSV/TSV quote character [default: "] (implies --csv unless --tsv)'
            cand --encoding 'The input''s character encoding, e.g. latin-1, cp1252, utf-16 [default: utf-8]'
            cand --stop-after 'Read at most N rows'
            cand --config 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]'
            cand --actor 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]'
            cand -m 'A note for this write''s change group and audit entries'
            cand --message 'A note for this write''s change group and audit entries'
            cand --tx 'Run this command inside an open transaction (see `tx`)'
            cand --alter 'Add columns that the rows have and the table lacks'
            cand --ignore 'Skip rows whose primary key already exists'
            cand --replace 'Replace rows whose primary key already exists'
            cand --truncate 'Delete all rows of the table first (in the same transaction)'
            cand --nl 'Read newline-delimited JSON (one object per line)'
            cand -c 'Read CSV with a header row (also from a .csv file name)'
            cand --csv 'Read CSV with a header row (also from a .csv file name)'
            cand --tsv 'Read TSV with a header row (also from a .tsv file name)'
            cand --sniff 'Detect the CSV delimiter and quote character (implies --csv unless --tsv)'
            cand --no-headers 'The CSV/TSV has no header row: columns are untitled_1, untitled_2, ... (implies --csv unless --tsv)'
            cand --flatten 'Store nested objects as columns: {"a": {"b": 1}} becomes column a_b'
            cand --lines 'Each line of the input is a row with one column, "line"'
            cand --text 'The whole input is one row with one column, "text"'
            cand --empty-null 'CSV/TSV: empty cells become NULL (else '''' in a text column)'
            cand --no-detect-types 'CSV/TSV: create every new column as TEXT instead of detecting numbers'
            cand -d 'CSV/TSV: detect numbers (the default; sqlite-utils'' spelling)'
            cand --detect-types 'CSV/TSV: detect numbers (the default; sqlite-utils'' spelling)'
            cand --dry-run 'Run the job and its wrappers, print the changes it would make, roll back'
            cand --json 'Print a JSON result object on stdout (errors too)'
            cand -q 'Print less on stderr'
            cand --quiet 'Print less on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'litewrite;upsert'= {
            cand --batch-size 'Commit every N rows instead of once (each batch its own change group)'
            cand --pk 'Primary key column of a new table (repeat for a compound key)'
            cand --not-null 'Make this column of a new table NOT NULL (repeatable)'
            cand --default 'Default value of a column of a new table: COL=VALUE, or COL VALUE as sqlite-utils spells it (repeatable)'
            cand --type 'Type of a column of a new table: COL=TYPE, or COL TYPE as sqlite-utils spells it; TYPE is text, integer, real, float, blob or any (repeatable)'
            cand --delimiter 'CSV/TSV field delimiter, e.g. '';'' or ''\t'' (implies --csv unless --tsv)'
            cand --quotechar 'CSV/TSV quote character [default: "] (implies --csv unless --tsv)'
            cand --encoding 'The input''s character encoding, e.g. latin-1, cp1252, utf-16 [default: utf-8]'
            cand --stop-after 'Read at most N rows'
            cand --config 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]'
            cand --actor 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]'
            cand -m 'A note for this write''s change group and audit entries'
            cand --message 'A note for this write''s change group and audit entries'
            cand --tx 'Run this command inside an open transaction (see `tx`)'
            cand --alter 'Add columns that the rows have and the table lacks'
            cand --nl 'Read newline-delimited JSON (one object per line)'
            cand -c 'Read CSV with a header row (also from a .csv file name)'
            cand --csv 'Read CSV with a header row (also from a .csv file name)'
            cand --tsv 'Read TSV with a header row (also from a .tsv file name)'
            cand --sniff 'Detect the CSV delimiter and quote character (implies --csv unless --tsv)'
            cand --no-headers 'The CSV/TSV has no header row: columns are untitled_1, untitled_2, ... (implies --csv unless --tsv)'
            cand --flatten 'Store nested objects as columns: {"a": {"b": 1}} becomes column a_b'
            cand --lines 'Each line of the input is a row with one column, "line"'
            cand --text 'The whole input is one row with one column, "text"'
            cand --empty-null 'CSV/TSV: empty cells become NULL (else '''' in a text column)'
            cand --no-detect-types 'CSV/TSV: create every new column as TEXT instead of detecting numbers'
            cand -d 'CSV/TSV: detect numbers (the default; sqlite-utils'' spelling)'
            cand --detect-types 'CSV/TSV: detect numbers (the default; sqlite-utils'' spelling)'
            cand --dry-run 'Run the job and its wrappers, print the changes it would make, roll back'
            cand --json 'Print a JSON result object on stdout (errors too)'
            cand -q 'Print less on stderr'
            cand --quiet 'Print less on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'litewrite;update'= {
            cand --where 'Update all rows matching this SQL condition instead of one key. It must be one expression: it is checked to stay inside the parentheses it is put in (no unbalanced ")", no ";")'
            cand -p 'A named parameter for --where (:NAME in the SQL)'
            cand --param 'A named parameter for --where (:NAME in the SQL)'
            cand --delimiter 'CSV/TSV field delimiter, e.g. '';'' or ''\t'' (implies --csv unless --tsv)'
            cand --quotechar 'CSV/TSV quote character [default: "] (implies --csv unless --tsv)'
            cand --encoding 'The input''s character encoding, e.g. latin-1, cp1252, utf-16 [default: utf-8]'
            cand --config 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]'
            cand --actor 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]'
            cand -m 'A note for this write''s change group and audit entries'
            cand --message 'A note for this write''s change group and audit entries'
            cand --tx 'Run this command inside an open transaction (see `tx`)'
            cand --alter 'Add columns that the assignments name and the table lacks'
            cand --nl 'Read newline-delimited JSON (one object per line)'
            cand -c 'Read CSV with a header row (also from a .csv file name)'
            cand --csv 'Read CSV with a header row (also from a .csv file name)'
            cand --tsv 'Read TSV with a header row (also from a .tsv file name)'
            cand --sniff 'Detect the CSV delimiter and quote character (implies --csv unless --tsv)'
            cand --no-headers 'The CSV/TSV has no header row: columns are untitled_1, untitled_2, ... (implies --csv unless --tsv)'
            cand --flatten 'Store nested objects as columns: {"a": {"b": 1}} becomes column a_b'
            cand --dry-run 'Run the job and its wrappers, print the changes it would make, roll back'
            cand --json 'Print a JSON result object on stdout (errors too)'
            cand -q 'Print less on stderr'
            cand --quiet 'Print less on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'litewrite;delete'= {
            cand --where 'Delete all rows matching this SQL condition. It must be one expression: it is checked to stay inside the parentheses it is put in (no unbalanced ")", no ";")'
            cand -p 'A named parameter for --where (:NAME in the SQL)'
            cand --param 'A named parameter for --where (:NAME in the SQL)'
            cand --delimiter 'CSV/TSV field delimiter, e.g. '';'' or ''\t'' (implies --csv unless --tsv)'
            cand --quotechar 'CSV/TSV quote character [default: "] (implies --csv unless --tsv)'
            cand --encoding 'The input''s character encoding, e.g. latin-1, cp1252, utf-16 [default: utf-8]'
            cand --config 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]'
            cand --actor 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]'
            cand -m 'A note for this write''s change group and audit entries'
            cand --message 'A note for this write''s change group and audit entries'
            cand --tx 'Run this command inside an open transaction (see `tx`)'
            cand --all 'Delete every row of the table'
            cand --nl 'Read newline-delimited JSON (one object per line)'
            cand -c 'Read CSV with a header row (also from a .csv file name)'
            cand --csv 'Read CSV with a header row (also from a .csv file name)'
            cand --tsv 'Read TSV with a header row (also from a .tsv file name)'
            cand --sniff 'Detect the CSV delimiter and quote character (implies --csv unless --tsv)'
            cand --no-headers 'The CSV/TSV has no header row: columns are untitled_1, untitled_2, ... (implies --csv unless --tsv)'
            cand --dry-run 'Run the job and its wrappers, print the changes it would make, roll back'
            cand --json 'Print a JSON result object on stdout (errors too)'
            cand -q 'Print less on stderr'
            cand --quiet 'Print less on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'litewrite;create'= {
            cand --pk 'Primary key column (repeat for a compound key)'
            cand --not-null 'Make this column NOT NULL (repeatable)'
            cand --default 'Default value of a column: COL=VALUE, or COL VALUE as sqlite-utils spells it (repeatable)'
            cand --fk 'Foreign key: COL references TABLE.COL (repeatable)'
            cand --config 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]'
            cand --actor 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]'
            cand -m 'A note for this write''s change group and audit entries'
            cand --message 'A note for this write''s change group and audit entries'
            cand --tx 'Run this command inside an open transaction (see `tx`)'
            cand --strict 'Create a STRICT table'
            cand --ignore 'Keep an existing table of that name and succeed'
            cand --replace 'Drop an existing table of that name first'
            cand --dry-run 'Run the job and its wrappers, print the changes it would make, roll back'
            cand --json 'Print a JSON result object on stdout (errors too)'
            cand -q 'Print less on stderr'
            cand --quiet 'Print less on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'litewrite;drop'= {
            cand --config 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]'
            cand --actor 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]'
            cand -m 'A note for this write''s change group and audit entries'
            cand --message 'A note for this write''s change group and audit entries'
            cand --tx 'Run this command inside an open transaction (see `tx`)'
            cand --ignore 'Succeed when the table does not exist'
            cand --dry-run 'Run the job and its wrappers, print the changes it would make, roll back'
            cand --json 'Print a JSON result object on stdout (errors too)'
            cand -q 'Print less on stderr'
            cand --quiet 'Print less on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'litewrite;query'= {
            cand -p 'A named parameter (:NAME in the SQL), bound as text'
            cand --param 'A named parameter (:NAME in the SQL), bound as text'
            cand -j 'A named parameter given as JSON and bound with its type: 30 an integer, 2.5 a real, null NULL, true 1, "x" text, [..] or {..} JSON text, {"$base64": true, "encoded": ".."} a BLOB'
            cand --param-json 'A named parameter given as JSON and bound with its type: 30 an integer, 2.5 a real, null NULL, true 1, "x" text, [..] or {..} JSON text, {"$base64": true, "encoded": ".."} a BLOB'
            cand --time-limit 'Interrupt the SQL when it runs longer than this many milliseconds'
            cand --format 'Output format [default: json]'
            cand --fmt 'Table style (implies --table)'
            cand --config 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]'
            cand --actor 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]'
            cand -m 'A note for this write''s change group and audit entries'
            cand --message 'A note for this write''s change group and audit entries'
            cand --tx 'Run this command inside an open transaction (see `tx`)'
            cand --csv 'CSV with a header row (--format csv)'
            cand --tsv 'TSV with a header row (--format tsv)'
            cand --nl 'Newline-delimited JSON, one row per line (--format ndjson)'
            cand -t 'A table for the terminal (--format table)'
            cand --table 'A table for the terminal (--format table)'
            cand --arrays 'JSON rows as arrays of values instead of objects'
            cand --no-headers 'CSV, TSV and tables without the header row'
            cand --raw 'Only the first column of the first row, as it is (text unquoted, BLOB bytes)'
            cand --raw-lines 'Only the first column of each row, one per line, as it is'
            cand --json-cols 'Print text cells that hold JSON as JSON, not as strings'
            cand --dry-run 'Run the job and its wrappers, print the changes it would make, roll back'
            cand --json 'Print a JSON result object on stdout (errors too)'
            cand -q 'Print less on stderr'
            cand --quiet 'Print less on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'litewrite;schema'= {
            cand --config 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]'
            cand --actor 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]'
            cand -m 'A note for this write''s change group and audit entries'
            cand --message 'A note for this write''s change group and audit entries'
            cand --tx 'Run this command inside an open transaction (see `tx`)'
            cand --dry-run 'Run the job and its wrappers, print the changes it would make, roll back'
            cand --json 'Print a JSON result object on stdout (errors too)'
            cand -q 'Print less on stderr'
            cand --quiet 'Print less on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'litewrite;history'= {
            cand --table 'Only groups that changed this table'
            cand --actor 'Only groups made by this actor'
            cand --limit 'At most this many groups'
            cand --format 'Output format (--json means json)'
            cand --config 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]'
            cand -m 'A note for this write''s change group and audit entries'
            cand --message 'A note for this write''s change group and audit entries'
            cand --tx 'Run this command inside an open transaction (see `tx`)'
            cand --dry-run 'Run the job and its wrappers, print the changes it would make, roll back'
            cand --json 'Print a JSON result object on stdout (errors too)'
            cand -q 'Print less on stderr'
            cand --quiet 'Print less on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'litewrite;show'= {
            cand --format 'Output format (--json means json)'
            cand --config 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]'
            cand --actor 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]'
            cand -m 'A note for this write''s change group and audit entries'
            cand --message 'A note for this write''s change group and audit entries'
            cand --tx 'Run this command inside an open transaction (see `tx`)'
            cand --dry-run 'Run the job and its wrappers, print the changes it would make, roll back'
            cand --json 'Print a JSON result object on stdout (errors too)'
            cand -q 'Print less on stderr'
            cand --quiet 'Print less on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'litewrite;undo'= {
            cand --config 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]'
            cand --actor 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]'
            cand -m 'A note for this write''s change group and audit entries'
            cand --message 'A note for this write''s change group and audit entries'
            cand --tx 'Run this command inside an open transaction (see `tx`)'
            cand --force 'Revert even rows changed since the group'
            cand --dry-run 'Run the job and its wrappers, print the changes it would make, roll back'
            cand --json 'Print a JSON result object on stdout (errors too)'
            cand -q 'Print less on stderr'
            cand --quiet 'Print less on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'litewrite;prune'= {
            cand --before 'Delete the groups recorded before this time (RFC 3339, or a date)'
            cand --keep 'Keep the newest N groups and delete the older ones'
            cand --config 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]'
            cand --actor 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]'
            cand -m 'A note for this write''s change group and audit entries'
            cand --message 'A note for this write''s change group and audit entries'
            cand --tx 'Run this command inside an open transaction (see `tx`)'
            cand --audit 'Also delete the audit entries older than the groups kept (with --keep: older than the oldest group kept)'
            cand --dry-run 'Run the job and its wrappers, print the changes it would make, roll back'
            cand --json 'Print a JSON result object on stdout (errors too)'
            cand -q 'Print less on stderr'
            cand --quiet 'Print less on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'litewrite;audit'= {
            cand --since 'Only entries at or after this time (RFC 3339, or a date)'
            cand --actor 'Only entries by this actor'
            cand --table 'Only entries about this table'
            cand --limit 'Only the newest N entries (still printed oldest first)'
            cand --format 'Output format (--json means json)'
            cand --config 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]'
            cand -m 'A note for this write''s change group and audit entries'
            cand --message 'A note for this write''s change group and audit entries'
            cand --tx 'Run this command inside an open transaction (see `tx`)'
            cand --dry-run 'Run the job and its wrappers, print the changes it would make, roll back'
            cand --json 'Print a JSON result object on stdout (errors too)'
            cand -q 'Print less on stderr'
            cand --quiet 'Print less on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand verify 'Check the hash chain: any modified, deleted, inserted or reordered entry is reported and fails'
            cand head 'Print the chain''s last entry as {"id": N, "hash": "..."}, to keep outside the database'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'litewrite;audit;verify'= {
            cand --head 'Also fail unless this entry is still in the chain: the hash (or the JSON object) `audit head` printed earlier. Detects a truncated or rewritten chain'
            cand --file 'Also cross-check the JSON lines of the audit file sink against the table: the file plugins.toml names, or PATH'
            cand --config 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]'
            cand -m 'A note for this write''s change group and audit entries'
            cand --message 'A note for this write''s change group and audit entries'
            cand --tx 'Run this command inside an open transaction (see `tx`)'
            cand --dry-run 'Run the job and its wrappers, print the changes it would make, roll back'
            cand --json 'Print a JSON result object on stdout (errors too)'
            cand -q 'Print less on stderr'
            cand --quiet 'Print less on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'litewrite;audit;head'= {
            cand --config 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]'
            cand -m 'A note for this write''s change group and audit entries'
            cand --message 'A note for this write''s change group and audit entries'
            cand --tx 'Run this command inside an open transaction (see `tx`)'
            cand --dry-run 'Run the job and its wrappers, print the changes it would make, roll back'
            cand --json 'Print a JSON result object on stdout (errors too)'
            cand -q 'Print less on stderr'
            cand --quiet 'Print less on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'litewrite;audit;help'= {
            cand verify 'Check the hash chain: any modified, deleted, inserted or reordered entry is reported and fails'
            cand head 'Print the chain''s last entry as {"id": N, "hash": "..."}, to keep outside the database'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'litewrite;audit;help;verify'= {
        }
        &'litewrite;audit;help;head'= {
        }
        &'litewrite;audit;help;help'= {
        }
        &'litewrite;tx'= {
            cand --config 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]'
            cand --actor 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]'
            cand -m 'A note for this write''s change group and audit entries'
            cand --message 'A note for this write''s change group and audit entries'
            cand --tx 'Run this command inside an open transaction (see `tx`)'
            cand --dry-run 'Run the job and its wrappers, print the changes it would make, roll back'
            cand --json 'Print a JSON result object on stdout (errors too)'
            cand -q 'Print less on stderr'
            cand --quiet 'Print less on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand begin 'Begin a transaction; prints only its id once it holds its locks'
            cand exec 'Run SQL in the transaction; prints rows like `query`'
            cand savepoint 'Create a savepoint'
            cand release 'Release (forget) a savepoint, keeping its changes'
            cand rollback-to 'Undo the changes since a savepoint (the savepoint stays)'
            cand commit 'Commit the transaction'
            cand rollback 'Roll the transaction back'
            cand list 'List your open transactions'
            cand status 'Show a transaction''s database, tables and time left'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'litewrite;tx;begin'= {
            cand --read 'A table the transaction may read (repeatable; it must exist)'
            cand --write 'A table the transaction may write, and read (repeatable; it must exist: a name that does not is a typo, exit 4). A pattern (`staging_*`) may also match tables created later'
            cand --create 'A table the transaction may create, then write and read (repeatable; it must not exist yet)'
            cand --timeout 'Roll back when this much time passes (e.g. 30s, 5m, 1h)'
            cand --config 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]'
            cand --actor 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]'
            cand -m 'A note for this write''s change group and audit entries'
            cand --message 'A note for this write''s change group and audit entries'
            cand --tx 'Run this command inside an open transaction (see `tx`)'
            cand --dry-run 'Run the job and its wrappers, print the changes it would make, roll back'
            cand --json 'Print a JSON result object on stdout (errors too)'
            cand -q 'Print less on stderr'
            cand --quiet 'Print less on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'litewrite;tx;exec'= {
            cand -p 'A named parameter (:NAME in the SQL), bound as text'
            cand --param 'A named parameter (:NAME in the SQL), bound as text'
            cand -j 'A named parameter given as JSON and bound with its type: 30 an integer, 2.5 a real, null NULL, true 1, "x" text, [..] or {..} JSON text, {"$base64": true, "encoded": ".."} a BLOB'
            cand --param-json 'A named parameter given as JSON and bound with its type: 30 an integer, 2.5 a real, null NULL, true 1, "x" text, [..] or {..} JSON text, {"$base64": true, "encoded": ".."} a BLOB'
            cand --time-limit 'Interrupt the SQL when it runs longer than this many milliseconds'
            cand --format 'Output format [default: json]'
            cand --fmt 'Table style (implies --table)'
            cand --config 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]'
            cand --actor 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]'
            cand -m 'A note for this write''s change group and audit entries'
            cand --message 'A note for this write''s change group and audit entries'
            cand --tx 'Run this command inside an open transaction (see `tx`)'
            cand --csv 'CSV with a header row (--format csv)'
            cand --tsv 'TSV with a header row (--format tsv)'
            cand --nl 'Newline-delimited JSON, one row per line (--format ndjson)'
            cand -t 'A table for the terminal (--format table)'
            cand --table 'A table for the terminal (--format table)'
            cand --arrays 'JSON rows as arrays of values instead of objects'
            cand --no-headers 'CSV, TSV and tables without the header row'
            cand --raw 'Only the first column of the first row, as it is (text unquoted, BLOB bytes)'
            cand --raw-lines 'Only the first column of each row, one per line, as it is'
            cand --json-cols 'Print text cells that hold JSON as JSON, not as strings'
            cand --dry-run 'Run the job and its wrappers, print the changes it would make, roll back'
            cand --json 'Print a JSON result object on stdout (errors too)'
            cand -q 'Print less on stderr'
            cand --quiet 'Print less on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'litewrite;tx;savepoint'= {
            cand --config 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]'
            cand --actor 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]'
            cand -m 'A note for this write''s change group and audit entries'
            cand --message 'A note for this write''s change group and audit entries'
            cand --tx 'Run this command inside an open transaction (see `tx`)'
            cand --dry-run 'Run the job and its wrappers, print the changes it would make, roll back'
            cand --json 'Print a JSON result object on stdout (errors too)'
            cand -q 'Print less on stderr'
            cand --quiet 'Print less on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'litewrite;tx;release'= {
            cand --config 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]'
            cand --actor 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]'
            cand -m 'A note for this write''s change group and audit entries'
            cand --message 'A note for this write''s change group and audit entries'
            cand --tx 'Run this command inside an open transaction (see `tx`)'
            cand --dry-run 'Run the job and its wrappers, print the changes it would make, roll back'
            cand --json 'Print a JSON result object on stdout (errors too)'
            cand -q 'Print less on stderr'
            cand --quiet 'Print less on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'litewrite;tx;rollback-to'= {
            cand --config 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]'
            cand --actor 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]'
            cand -m 'A note for this write''s change group and audit entries'
            cand --message 'A note for this write''s change group and audit entries'
            cand --tx 'Run this command inside an open transaction (see `tx`)'
            cand --dry-run 'Run the job and its wrappers, print the changes it would make, roll back'
            cand --json 'Print a JSON result object on stdout (errors too)'
            cand -q 'Print less on stderr'
            cand --quiet 'Print less on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'litewrite;tx;commit'= {
            cand --config 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]'
            cand --actor 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]'
            cand -m 'A note for this write''s change group and audit entries'
            cand --message 'A note for this write''s change group and audit entries'
            cand --tx 'Run this command inside an open transaction (see `tx`)'
            cand --dry-run 'Run the job and its wrappers, print the changes it would make, roll back'
            cand --json 'Print a JSON result object on stdout (errors too)'
            cand -q 'Print less on stderr'
            cand --quiet 'Print less on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'litewrite;tx;rollback'= {
            cand --config 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]'
            cand --actor 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]'
            cand -m 'A note for this write''s change group and audit entries'
            cand --message 'A note for this write''s change group and audit entries'
            cand --tx 'Run this command inside an open transaction (see `tx`)'
            cand --dry-run 'Run the job and its wrappers, print the changes it would make, roll back'
            cand --json 'Print a JSON result object on stdout (errors too)'
            cand -q 'Print less on stderr'
            cand --quiet 'Print less on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'litewrite;tx;list'= {
            cand --config 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]'
            cand --actor 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]'
            cand -m 'A note for this write''s change group and audit entries'
            cand --message 'A note for this write''s change group and audit entries'
            cand --tx 'Run this command inside an open transaction (see `tx`)'
            cand --dry-run 'Run the job and its wrappers, print the changes it would make, roll back'
            cand --json 'Print a JSON result object on stdout (errors too)'
            cand -q 'Print less on stderr'
            cand --quiet 'Print less on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'litewrite;tx;status'= {
            cand --config 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]'
            cand --actor 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]'
            cand -m 'A note for this write''s change group and audit entries'
            cand --message 'A note for this write''s change group and audit entries'
            cand --tx 'Run this command inside an open transaction (see `tx`)'
            cand --dry-run 'Run the job and its wrappers, print the changes it would make, roll back'
            cand --json 'Print a JSON result object on stdout (errors too)'
            cand -q 'Print less on stderr'
            cand --quiet 'Print less on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'litewrite;tx;help'= {
            cand begin 'Begin a transaction; prints only its id once it holds its locks'
            cand exec 'Run SQL in the transaction; prints rows like `query`'
            cand savepoint 'Create a savepoint'
            cand release 'Release (forget) a savepoint, keeping its changes'
            cand rollback-to 'Undo the changes since a savepoint (the savepoint stays)'
            cand commit 'Commit the transaction'
            cand rollback 'Roll the transaction back'
            cand list 'List your open transactions'
            cand status 'Show a transaction''s database, tables and time left'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'litewrite;tx;help;begin'= {
        }
        &'litewrite;tx;help;exec'= {
        }
        &'litewrite;tx;help;savepoint'= {
        }
        &'litewrite;tx;help;release'= {
        }
        &'litewrite;tx;help;rollback-to'= {
        }
        &'litewrite;tx;help;commit'= {
        }
        &'litewrite;tx;help;rollback'= {
        }
        &'litewrite;tx;help;list'= {
        }
        &'litewrite;tx;help;status'= {
        }
        &'litewrite;tx;help;help'= {
        }
        &'litewrite;config'= {
            cand --config 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]'
            cand --actor 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]'
            cand -m 'A note for this write''s change group and audit entries'
            cand --message 'A note for this write''s change group and audit entries'
            cand --tx 'Run this command inside an open transaction (see `tx`)'
            cand --dry-run 'Run the job and its wrappers, print the changes it would make, roll back'
            cand --json 'Print a JSON result object on stdout (errors too)'
            cand -q 'Print less on stderr'
            cand --quiet 'Print less on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'litewrite;completions'= {
            cand --config 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]'
            cand --actor 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]'
            cand -m 'A note for this write''s change group and audit entries'
            cand --message 'A note for this write''s change group and audit entries'
            cand --tx 'Run this command inside an open transaction (see `tx`)'
            cand --dry-run 'Run the job and its wrappers, print the changes it would make, roll back'
            cand --json 'Print a JSON result object on stdout (errors too)'
            cand -q 'Print less on stderr'
            cand --quiet 'Print less on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'litewrite;man'= {
            cand --dir 'Write every page as a file into this directory (created if missing)'
            cand --config 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]'
            cand --actor 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]'
            cand -m 'A note for this write''s change group and audit entries'
            cand --message 'A note for this write''s change group and audit entries'
            cand --tx 'Run this command inside an open transaction (see `tx`)'
            cand --dry-run 'Run the job and its wrappers, print the changes it would make, roll back'
            cand --json 'Print a JSON result object on stdout (errors too)'
            cand -q 'Print less on stderr'
            cand --quiet 'Print less on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'litewrite;help'= {
            cand insert 'Insert rows from JSON, NDJSON, CSV, TSV or the command line'
            cand upsert 'Insert new rows and update existing ones by primary key'
            cand update 'Update one row by its primary key, the rows matching --where, or rows from stdin'
            cand delete 'Delete one row by its primary key, the rows matching --where, or keys from stdin'
            cand create 'Create a table'
            cand drop 'Drop a table'
            cand query 'Run SQL and print the rows of the last statement that returns rows'
            cand schema 'Show tables and views with columns, keys, foreign keys and indexes'
            cand history 'List change groups, newest first: id, time, actor, message, command, tables and row counts'
            cand show 'Show a change group''s row changes: table, operation, key, before and after values'
            cand undo 'Revert a change group, as a new recorded group'
            cand prune 'Delete old change groups, which can then no longer be undone'
            cand audit 'Read the audit log (oldest first), verify its hash chain, or print its head'
            cand tx 'Transactions that span several invocations'
            cand config 'Show the configuration in effect: the wrapper chain and the file it came from'
            cand completions 'Print a shell completion script'
            cand man 'Print a man page (roff), or write them all to a directory'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'litewrite;help;insert'= {
        }
        &'litewrite;help;upsert'= {
        }
        &'litewrite;help;update'= {
        }
        &'litewrite;help;delete'= {
        }
        &'litewrite;help;create'= {
        }
        &'litewrite;help;drop'= {
        }
        &'litewrite;help;query'= {
        }
        &'litewrite;help;schema'= {
        }
        &'litewrite;help;history'= {
        }
        &'litewrite;help;show'= {
        }
        &'litewrite;help;undo'= {
        }
        &'litewrite;help;prune'= {
        }
        &'litewrite;help;audit'= {
            cand verify 'Check the hash chain: any modified, deleted, inserted or reordered entry is reported and fails'
            cand head 'Print the chain''s last entry as {"id": N, "hash": "..."}, to keep outside the database'
        }
        &'litewrite;help;audit;verify'= {
        }
        &'litewrite;help;audit;head'= {
        }
        &'litewrite;help;tx'= {
            cand begin 'Begin a transaction; prints only its id once it holds its locks'
            cand exec 'Run SQL in the transaction; prints rows like `query`'
            cand savepoint 'Create a savepoint'
            cand release 'Release (forget) a savepoint, keeping its changes'
            cand rollback-to 'Undo the changes since a savepoint (the savepoint stays)'
            cand commit 'Commit the transaction'
            cand rollback 'Roll the transaction back'
            cand list 'List your open transactions'
            cand status 'Show a transaction''s database, tables and time left'
        }
        &'litewrite;help;tx;begin'= {
        }
        &'litewrite;help;tx;exec'= {
        }
        &'litewrite;help;tx;savepoint'= {
        }
        &'litewrite;help;tx;release'= {
        }
        &'litewrite;help;tx;rollback-to'= {
        }
        &'litewrite;help;tx;commit'= {
        }
        &'litewrite;help;tx;rollback'= {
        }
        &'litewrite;help;tx;list'= {
        }
        &'litewrite;help;tx;status'= {
        }
        &'litewrite;help;config'= {
        }
        &'litewrite;help;completions'= {
        }
        &'litewrite;help;man'= {
        }
        &'litewrite;help;help'= {
        }
    ]
    $completions[$command]
}
