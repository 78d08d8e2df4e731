
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'litewrite' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'litewrite'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'litewrite' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--tx', '--tx', [CompletionResultType]::ParameterName, 'Run this command inside an open transaction (see `tx`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Run the job and its wrappers, print the changes it would make, roll back')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON result object on stdout (errors too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('insert', 'insert', [CompletionResultType]::ParameterValue, 'Insert rows from JSON, NDJSON, CSV, TSV or the command line')
            [CompletionResult]::new('upsert', 'upsert', [CompletionResultType]::ParameterValue, 'Insert new rows and update existing ones by primary key')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Update one row by its primary key, the rows matching --where, or rows from stdin')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete one row by its primary key, the rows matching --where, or keys from stdin')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a table')
            [CompletionResult]::new('drop', 'drop', [CompletionResultType]::ParameterValue, 'Drop a table')
            [CompletionResult]::new('query', 'query', [CompletionResultType]::ParameterValue, 'Run SQL and print the rows of the last statement that returns rows')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Show tables and views with columns, keys, foreign keys and indexes')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'List change groups, newest first: id, time, actor, message, command, tables and row counts')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a change group''s row changes: table, operation, key, before and after values')
            [CompletionResult]::new('undo', 'undo', [CompletionResultType]::ParameterValue, 'Revert a change group, as a new recorded group')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Delete old change groups, which can then no longer be undone')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Read the audit log (oldest first), verify its hash chain, or print its head')
            [CompletionResult]::new('tx', 'tx', [CompletionResultType]::ParameterValue, 'Transactions that span several invocations')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show the configuration in effect: the wrapper chain and the file it came from')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print a man page (roff), or write them all to a directory')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'litewrite;insert' {
            [CompletionResult]::new('--batch-size', '--batch-size', [CompletionResultType]::ParameterName, 'Commit every N rows instead of once (each batch its own change group)')
            [CompletionResult]::new('--pk', '--pk', [CompletionResultType]::ParameterName, 'Primary key column of a new table (repeat for a compound key)')
            [CompletionResult]::new('--not-null', '--not-null', [CompletionResultType]::ParameterName, 'Make this column of a new table NOT NULL (repeatable)')
            [CompletionResult]::new('--default', '--default', [CompletionResultType]::ParameterName, 'Default value of a column of a new table: COL=VALUE, or COL VALUE as sqlite-utils spells it (repeatable)')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Type of a column of a new table: COL=TYPE, or COL TYPE as sqlite-utils spells it; TYPE is text, integer, real, float, blob or any (repeatable)')
            [CompletionResult]::new('--delimiter', '--delimiter', [CompletionResultType]::ParameterName, 'CSV/TSV field delimiter, e.g. '';'' or ''\t'' (implies --csv unless --tsv)')
            [CompletionResult]::new('--quotechar', '--quotechar', [CompletionResultType]::ParameterName, 'CSV/TSV quote character [default: "] (implies --csv unless --tsv)')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'The input''s character encoding, e.g. latin-1, cp1252, utf-16 [default: utf-8]')
            [CompletionResult]::new('--stop-after', '--stop-after', [CompletionResultType]::ParameterName, 'Read at most N rows')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--tx', '--tx', [CompletionResultType]::ParameterName, 'Run this command inside an open transaction (see `tx`)')
            [CompletionResult]::new('--alter', '--alter', [CompletionResultType]::ParameterName, 'Add columns that the rows have and the table lacks')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Skip rows whose primary key already exists')
            [CompletionResult]::new('--replace', '--replace', [CompletionResultType]::ParameterName, 'Replace rows whose primary key already exists')
            [CompletionResult]::new('--truncate', '--truncate', [CompletionResultType]::ParameterName, 'Delete all rows of the table first (in the same transaction)')
            [CompletionResult]::new('--nl', '--nl', [CompletionResultType]::ParameterName, 'Read newline-delimited JSON (one object per line)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Read CSV with a header row (also from a .csv file name)')
            [CompletionResult]::new('--csv', '--csv', [CompletionResultType]::ParameterName, 'Read CSV with a header row (also from a .csv file name)')
            [CompletionResult]::new('--tsv', '--tsv', [CompletionResultType]::ParameterName, 'Read TSV with a header row (also from a .tsv file name)')
            [CompletionResult]::new('--sniff', '--sniff', [CompletionResultType]::ParameterName, 'Detect the CSV delimiter and quote character (implies --csv unless --tsv)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'The CSV/TSV has no header row: columns are untitled_1, untitled_2, ... (implies --csv unless --tsv)')
            [CompletionResult]::new('--flatten', '--flatten', [CompletionResultType]::ParameterName, 'Store nested objects as columns: {"a": {"b": 1}} becomes column a_b')
            [CompletionResult]::new('--lines', '--lines', [CompletionResultType]::ParameterName, 'Each line of the input is a row with one column, "line"')
            [CompletionResult]::new('--text', '--text', [CompletionResultType]::ParameterName, 'The whole input is one row with one column, "text"')
            [CompletionResult]::new('--empty-null', '--empty-null', [CompletionResultType]::ParameterName, 'CSV/TSV: empty cells become NULL (else '''' in a text column)')
            [CompletionResult]::new('--no-detect-types', '--no-detect-types', [CompletionResultType]::ParameterName, 'CSV/TSV: create every new column as TEXT instead of detecting numbers')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'CSV/TSV: detect numbers (the default; sqlite-utils'' spelling)')
            [CompletionResult]::new('--detect-types', '--detect-types', [CompletionResultType]::ParameterName, 'CSV/TSV: detect numbers (the default; sqlite-utils'' spelling)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Run the job and its wrappers, print the changes it would make, roll back')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON result object on stdout (errors too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'litewrite;upsert' {
            [CompletionResult]::new('--batch-size', '--batch-size', [CompletionResultType]::ParameterName, 'Commit every N rows instead of once (each batch its own change group)')
            [CompletionResult]::new('--pk', '--pk', [CompletionResultType]::ParameterName, 'Primary key column of a new table (repeat for a compound key)')
            [CompletionResult]::new('--not-null', '--not-null', [CompletionResultType]::ParameterName, 'Make this column of a new table NOT NULL (repeatable)')
            [CompletionResult]::new('--default', '--default', [CompletionResultType]::ParameterName, 'Default value of a column of a new table: COL=VALUE, or COL VALUE as sqlite-utils spells it (repeatable)')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Type of a column of a new table: COL=TYPE, or COL TYPE as sqlite-utils spells it; TYPE is text, integer, real, float, blob or any (repeatable)')
            [CompletionResult]::new('--delimiter', '--delimiter', [CompletionResultType]::ParameterName, 'CSV/TSV field delimiter, e.g. '';'' or ''\t'' (implies --csv unless --tsv)')
            [CompletionResult]::new('--quotechar', '--quotechar', [CompletionResultType]::ParameterName, 'CSV/TSV quote character [default: "] (implies --csv unless --tsv)')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'The input''s character encoding, e.g. latin-1, cp1252, utf-16 [default: utf-8]')
            [CompletionResult]::new('--stop-after', '--stop-after', [CompletionResultType]::ParameterName, 'Read at most N rows')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--tx', '--tx', [CompletionResultType]::ParameterName, 'Run this command inside an open transaction (see `tx`)')
            [CompletionResult]::new('--alter', '--alter', [CompletionResultType]::ParameterName, 'Add columns that the rows have and the table lacks')
            [CompletionResult]::new('--nl', '--nl', [CompletionResultType]::ParameterName, 'Read newline-delimited JSON (one object per line)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Read CSV with a header row (also from a .csv file name)')
            [CompletionResult]::new('--csv', '--csv', [CompletionResultType]::ParameterName, 'Read CSV with a header row (also from a .csv file name)')
            [CompletionResult]::new('--tsv', '--tsv', [CompletionResultType]::ParameterName, 'Read TSV with a header row (also from a .tsv file name)')
            [CompletionResult]::new('--sniff', '--sniff', [CompletionResultType]::ParameterName, 'Detect the CSV delimiter and quote character (implies --csv unless --tsv)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'The CSV/TSV has no header row: columns are untitled_1, untitled_2, ... (implies --csv unless --tsv)')
            [CompletionResult]::new('--flatten', '--flatten', [CompletionResultType]::ParameterName, 'Store nested objects as columns: {"a": {"b": 1}} becomes column a_b')
            [CompletionResult]::new('--lines', '--lines', [CompletionResultType]::ParameterName, 'Each line of the input is a row with one column, "line"')
            [CompletionResult]::new('--text', '--text', [CompletionResultType]::ParameterName, 'The whole input is one row with one column, "text"')
            [CompletionResult]::new('--empty-null', '--empty-null', [CompletionResultType]::ParameterName, 'CSV/TSV: empty cells become NULL (else '''' in a text column)')
            [CompletionResult]::new('--no-detect-types', '--no-detect-types', [CompletionResultType]::ParameterName, 'CSV/TSV: create every new column as TEXT instead of detecting numbers')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'CSV/TSV: detect numbers (the default; sqlite-utils'' spelling)')
            [CompletionResult]::new('--detect-types', '--detect-types', [CompletionResultType]::ParameterName, 'CSV/TSV: detect numbers (the default; sqlite-utils'' spelling)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Run the job and its wrappers, print the changes it would make, roll back')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON result object on stdout (errors too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'litewrite;update' {
            [CompletionResult]::new('--where', '--where', [CompletionResultType]::ParameterName, 'Update all rows matching this SQL condition instead of one key. It must be one expression: it is checked to stay inside the parentheses it is put in (no unbalanced ")", no ";")')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'A named parameter for --where (:NAME in the SQL)')
            [CompletionResult]::new('--param', '--param', [CompletionResultType]::ParameterName, 'A named parameter for --where (:NAME in the SQL)')
            [CompletionResult]::new('--delimiter', '--delimiter', [CompletionResultType]::ParameterName, 'CSV/TSV field delimiter, e.g. '';'' or ''\t'' (implies --csv unless --tsv)')
            [CompletionResult]::new('--quotechar', '--quotechar', [CompletionResultType]::ParameterName, 'CSV/TSV quote character [default: "] (implies --csv unless --tsv)')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'The input''s character encoding, e.g. latin-1, cp1252, utf-16 [default: utf-8]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--tx', '--tx', [CompletionResultType]::ParameterName, 'Run this command inside an open transaction (see `tx`)')
            [CompletionResult]::new('--alter', '--alter', [CompletionResultType]::ParameterName, 'Add columns that the assignments name and the table lacks')
            [CompletionResult]::new('--nl', '--nl', [CompletionResultType]::ParameterName, 'Read newline-delimited JSON (one object per line)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Read CSV with a header row (also from a .csv file name)')
            [CompletionResult]::new('--csv', '--csv', [CompletionResultType]::ParameterName, 'Read CSV with a header row (also from a .csv file name)')
            [CompletionResult]::new('--tsv', '--tsv', [CompletionResultType]::ParameterName, 'Read TSV with a header row (also from a .tsv file name)')
            [CompletionResult]::new('--sniff', '--sniff', [CompletionResultType]::ParameterName, 'Detect the CSV delimiter and quote character (implies --csv unless --tsv)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'The CSV/TSV has no header row: columns are untitled_1, untitled_2, ... (implies --csv unless --tsv)')
            [CompletionResult]::new('--flatten', '--flatten', [CompletionResultType]::ParameterName, 'Store nested objects as columns: {"a": {"b": 1}} becomes column a_b')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Run the job and its wrappers, print the changes it would make, roll back')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON result object on stdout (errors too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'litewrite;delete' {
            [CompletionResult]::new('--where', '--where', [CompletionResultType]::ParameterName, 'Delete all rows matching this SQL condition. It must be one expression: it is checked to stay inside the parentheses it is put in (no unbalanced ")", no ";")')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'A named parameter for --where (:NAME in the SQL)')
            [CompletionResult]::new('--param', '--param', [CompletionResultType]::ParameterName, 'A named parameter for --where (:NAME in the SQL)')
            [CompletionResult]::new('--delimiter', '--delimiter', [CompletionResultType]::ParameterName, 'CSV/TSV field delimiter, e.g. '';'' or ''\t'' (implies --csv unless --tsv)')
            [CompletionResult]::new('--quotechar', '--quotechar', [CompletionResultType]::ParameterName, 'CSV/TSV quote character [default: "] (implies --csv unless --tsv)')
            [CompletionResult]::new('--encoding', '--encoding', [CompletionResultType]::ParameterName, 'The input''s character encoding, e.g. latin-1, cp1252, utf-16 [default: utf-8]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--tx', '--tx', [CompletionResultType]::ParameterName, 'Run this command inside an open transaction (see `tx`)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Delete every row of the table')
            [CompletionResult]::new('--nl', '--nl', [CompletionResultType]::ParameterName, 'Read newline-delimited JSON (one object per line)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Read CSV with a header row (also from a .csv file name)')
            [CompletionResult]::new('--csv', '--csv', [CompletionResultType]::ParameterName, 'Read CSV with a header row (also from a .csv file name)')
            [CompletionResult]::new('--tsv', '--tsv', [CompletionResultType]::ParameterName, 'Read TSV with a header row (also from a .tsv file name)')
            [CompletionResult]::new('--sniff', '--sniff', [CompletionResultType]::ParameterName, 'Detect the CSV delimiter and quote character (implies --csv unless --tsv)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'The CSV/TSV has no header row: columns are untitled_1, untitled_2, ... (implies --csv unless --tsv)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Run the job and its wrappers, print the changes it would make, roll back')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON result object on stdout (errors too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'litewrite;create' {
            [CompletionResult]::new('--pk', '--pk', [CompletionResultType]::ParameterName, 'Primary key column (repeat for a compound key)')
            [CompletionResult]::new('--not-null', '--not-null', [CompletionResultType]::ParameterName, 'Make this column NOT NULL (repeatable)')
            [CompletionResult]::new('--default', '--default', [CompletionResultType]::ParameterName, 'Default value of a column: COL=VALUE, or COL VALUE as sqlite-utils spells it (repeatable)')
            [CompletionResult]::new('--fk', '--fk', [CompletionResultType]::ParameterName, 'Foreign key: COL references TABLE.COL (repeatable)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--tx', '--tx', [CompletionResultType]::ParameterName, 'Run this command inside an open transaction (see `tx`)')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Create a STRICT table')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Keep an existing table of that name and succeed')
            [CompletionResult]::new('--replace', '--replace', [CompletionResultType]::ParameterName, 'Drop an existing table of that name first')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Run the job and its wrappers, print the changes it would make, roll back')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON result object on stdout (errors too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'litewrite;drop' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--tx', '--tx', [CompletionResultType]::ParameterName, 'Run this command inside an open transaction (see `tx`)')
            [CompletionResult]::new('--ignore', '--ignore', [CompletionResultType]::ParameterName, 'Succeed when the table does not exist')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Run the job and its wrappers, print the changes it would make, roll back')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON result object on stdout (errors too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'litewrite;query' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'A named parameter (:NAME in the SQL), bound as text')
            [CompletionResult]::new('--param', '--param', [CompletionResultType]::ParameterName, 'A named parameter (:NAME in the SQL), bound as text')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'A named parameter given as JSON and bound with its type: 30 an integer, 2.5 a real, null NULL, true 1, "x" text, [..] or {..} JSON text, {"$base64": true, "encoded": ".."} a BLOB')
            [CompletionResult]::new('--param-json', '--param-json', [CompletionResultType]::ParameterName, 'A named parameter given as JSON and bound with its type: 30 an integer, 2.5 a real, null NULL, true 1, "x" text, [..] or {..} JSON text, {"$base64": true, "encoded": ".."} a BLOB')
            [CompletionResult]::new('--time-limit', '--time-limit', [CompletionResultType]::ParameterName, 'Interrupt the SQL when it runs longer than this many milliseconds')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: json]')
            [CompletionResult]::new('--fmt', '--fmt', [CompletionResultType]::ParameterName, 'Table style (implies --table)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--tx', '--tx', [CompletionResultType]::ParameterName, 'Run this command inside an open transaction (see `tx`)')
            [CompletionResult]::new('--csv', '--csv', [CompletionResultType]::ParameterName, 'CSV with a header row (--format csv)')
            [CompletionResult]::new('--tsv', '--tsv', [CompletionResultType]::ParameterName, 'TSV with a header row (--format tsv)')
            [CompletionResult]::new('--nl', '--nl', [CompletionResultType]::ParameterName, 'Newline-delimited JSON, one row per line (--format ndjson)')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'A table for the terminal (--format table)')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'A table for the terminal (--format table)')
            [CompletionResult]::new('--arrays', '--arrays', [CompletionResultType]::ParameterName, 'JSON rows as arrays of values instead of objects')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'CSV, TSV and tables without the header row')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Only the first column of the first row, as it is (text unquoted, BLOB bytes)')
            [CompletionResult]::new('--raw-lines', '--raw-lines', [CompletionResultType]::ParameterName, 'Only the first column of each row, one per line, as it is')
            [CompletionResult]::new('--json-cols', '--json-cols', [CompletionResultType]::ParameterName, 'Print text cells that hold JSON as JSON, not as strings')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Run the job and its wrappers, print the changes it would make, roll back')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON result object on stdout (errors too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'litewrite;schema' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--tx', '--tx', [CompletionResultType]::ParameterName, 'Run this command inside an open transaction (see `tx`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Run the job and its wrappers, print the changes it would make, roll back')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON result object on stdout (errors too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'litewrite;history' {
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'Only groups that changed this table')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Only groups made by this actor')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most this many groups')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format (--json means json)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--tx', '--tx', [CompletionResultType]::ParameterName, 'Run this command inside an open transaction (see `tx`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Run the job and its wrappers, print the changes it would make, roll back')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON result object on stdout (errors too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'litewrite;show' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format (--json means json)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--tx', '--tx', [CompletionResultType]::ParameterName, 'Run this command inside an open transaction (see `tx`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Run the job and its wrappers, print the changes it would make, roll back')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON result object on stdout (errors too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'litewrite;undo' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--tx', '--tx', [CompletionResultType]::ParameterName, 'Run this command inside an open transaction (see `tx`)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Revert even rows changed since the group')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Run the job and its wrappers, print the changes it would make, roll back')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON result object on stdout (errors too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'litewrite;prune' {
            [CompletionResult]::new('--before', '--before', [CompletionResultType]::ParameterName, 'Delete the groups recorded before this time (RFC 3339, or a date)')
            [CompletionResult]::new('--keep', '--keep', [CompletionResultType]::ParameterName, 'Keep the newest N groups and delete the older ones')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--tx', '--tx', [CompletionResultType]::ParameterName, 'Run this command inside an open transaction (see `tx`)')
            [CompletionResult]::new('--audit', '--audit', [CompletionResultType]::ParameterName, 'Also delete the audit entries older than the groups kept (with --keep: older than the oldest group kept)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Run the job and its wrappers, print the changes it would make, roll back')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON result object on stdout (errors too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'litewrite;audit' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only entries at or after this time (RFC 3339, or a date)')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Only entries by this actor')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'Only entries about this table')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Only the newest N entries (still printed oldest first)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format (--json means json)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--tx', '--tx', [CompletionResultType]::ParameterName, 'Run this command inside an open transaction (see `tx`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Run the job and its wrappers, print the changes it would make, roll back')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON result object on stdout (errors too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check the hash chain: any modified, deleted, inserted or reordered entry is reported and fails')
            [CompletionResult]::new('head', 'head', [CompletionResultType]::ParameterValue, 'Print the chain''s last entry as {"id": N, "hash": "..."}, to keep outside the database')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'litewrite;audit;verify' {
            [CompletionResult]::new('--head', '--head', [CompletionResultType]::ParameterName, 'Also fail unless this entry is still in the chain: the hash (or the JSON object) `audit head` printed earlier. Detects a truncated or rewritten chain')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Also cross-check the JSON lines of the audit file sink against the table: the file plugins.toml names, or PATH')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--tx', '--tx', [CompletionResultType]::ParameterName, 'Run this command inside an open transaction (see `tx`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Run the job and its wrappers, print the changes it would make, roll back')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON result object on stdout (errors too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'litewrite;audit;head' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--tx', '--tx', [CompletionResultType]::ParameterName, 'Run this command inside an open transaction (see `tx`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Run the job and its wrappers, print the changes it would make, roll back')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON result object on stdout (errors too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'litewrite;audit;help' {
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check the hash chain: any modified, deleted, inserted or reordered entry is reported and fails')
            [CompletionResult]::new('head', 'head', [CompletionResultType]::ParameterValue, 'Print the chain''s last entry as {"id": N, "hash": "..."}, to keep outside the database')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'litewrite;audit;help;verify' {
            break
        }
        'litewrite;audit;help;head' {
            break
        }
        'litewrite;audit;help;help' {
            break
        }
        'litewrite;tx' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--tx', '--tx', [CompletionResultType]::ParameterName, 'Run this command inside an open transaction (see `tx`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Run the job and its wrappers, print the changes it would make, roll back')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON result object on stdout (errors too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('begin', 'begin', [CompletionResultType]::ParameterValue, 'Begin a transaction; prints only its id once it holds its locks')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run SQL in the transaction; prints rows like `query`')
            [CompletionResult]::new('savepoint', 'savepoint', [CompletionResultType]::ParameterValue, 'Create a savepoint')
            [CompletionResult]::new('release', 'release', [CompletionResultType]::ParameterValue, 'Release (forget) a savepoint, keeping its changes')
            [CompletionResult]::new('rollback-to', 'rollback-to', [CompletionResultType]::ParameterValue, 'Undo the changes since a savepoint (the savepoint stays)')
            [CompletionResult]::new('commit', 'commit', [CompletionResultType]::ParameterValue, 'Commit the transaction')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Roll the transaction back')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List your open transactions')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show a transaction''s database, tables and time left')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'litewrite;tx;begin' {
            [CompletionResult]::new('--read', '--read', [CompletionResultType]::ParameterName, 'A table the transaction may read (repeatable; it must exist)')
            [CompletionResult]::new('--write', '--write', [CompletionResultType]::ParameterName, 'A table the transaction may write, and read (repeatable; it must exist: a name that does not is a typo, exit 4). A pattern (`staging_*`) may also match tables created later')
            [CompletionResult]::new('--create', '--create', [CompletionResultType]::ParameterName, 'A table the transaction may create, then write and read (repeatable; it must not exist yet)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Roll back when this much time passes (e.g. 30s, 5m, 1h)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--tx', '--tx', [CompletionResultType]::ParameterName, 'Run this command inside an open transaction (see `tx`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Run the job and its wrappers, print the changes it would make, roll back')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON result object on stdout (errors too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'litewrite;tx;exec' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'A named parameter (:NAME in the SQL), bound as text')
            [CompletionResult]::new('--param', '--param', [CompletionResultType]::ParameterName, 'A named parameter (:NAME in the SQL), bound as text')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'A named parameter given as JSON and bound with its type: 30 an integer, 2.5 a real, null NULL, true 1, "x" text, [..] or {..} JSON text, {"$base64": true, "encoded": ".."} a BLOB')
            [CompletionResult]::new('--param-json', '--param-json', [CompletionResultType]::ParameterName, 'A named parameter given as JSON and bound with its type: 30 an integer, 2.5 a real, null NULL, true 1, "x" text, [..] or {..} JSON text, {"$base64": true, "encoded": ".."} a BLOB')
            [CompletionResult]::new('--time-limit', '--time-limit', [CompletionResultType]::ParameterName, 'Interrupt the SQL when it runs longer than this many milliseconds')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: json]')
            [CompletionResult]::new('--fmt', '--fmt', [CompletionResultType]::ParameterName, 'Table style (implies --table)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--tx', '--tx', [CompletionResultType]::ParameterName, 'Run this command inside an open transaction (see `tx`)')
            [CompletionResult]::new('--csv', '--csv', [CompletionResultType]::ParameterName, 'CSV with a header row (--format csv)')
            [CompletionResult]::new('--tsv', '--tsv', [CompletionResultType]::ParameterName, 'TSV with a header row (--format tsv)')
            [CompletionResult]::new('--nl', '--nl', [CompletionResultType]::ParameterName, 'Newline-delimited JSON, one row per line (--format ndjson)')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'A table for the terminal (--format table)')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'A table for the terminal (--format table)')
            [CompletionResult]::new('--arrays', '--arrays', [CompletionResultType]::ParameterName, 'JSON rows as arrays of values instead of objects')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'CSV, TSV and tables without the header row')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Only the first column of the first row, as it is (text unquoted, BLOB bytes)')
            [CompletionResult]::new('--raw-lines', '--raw-lines', [CompletionResultType]::ParameterName, 'Only the first column of each row, one per line, as it is')
            [CompletionResult]::new('--json-cols', '--json-cols', [CompletionResultType]::ParameterName, 'Print text cells that hold JSON as JSON, not as strings')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Run the job and its wrappers, print the changes it would make, roll back')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON result object on stdout (errors too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'litewrite;tx;savepoint' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--tx', '--tx', [CompletionResultType]::ParameterName, 'Run this command inside an open transaction (see `tx`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Run the job and its wrappers, print the changes it would make, roll back')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON result object on stdout (errors too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'litewrite;tx;release' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--tx', '--tx', [CompletionResultType]::ParameterName, 'Run this command inside an open transaction (see `tx`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Run the job and its wrappers, print the changes it would make, roll back')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON result object on stdout (errors too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'litewrite;tx;rollback-to' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--tx', '--tx', [CompletionResultType]::ParameterName, 'Run this command inside an open transaction (see `tx`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Run the job and its wrappers, print the changes it would make, roll back')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON result object on stdout (errors too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'litewrite;tx;commit' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--tx', '--tx', [CompletionResultType]::ParameterName, 'Run this command inside an open transaction (see `tx`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Run the job and its wrappers, print the changes it would make, roll back')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON result object on stdout (errors too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'litewrite;tx;rollback' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--tx', '--tx', [CompletionResultType]::ParameterName, 'Run this command inside an open transaction (see `tx`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Run the job and its wrappers, print the changes it would make, roll back')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON result object on stdout (errors too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'litewrite;tx;list' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--tx', '--tx', [CompletionResultType]::ParameterName, 'Run this command inside an open transaction (see `tx`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Run the job and its wrappers, print the changes it would make, roll back')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON result object on stdout (errors too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'litewrite;tx;status' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--tx', '--tx', [CompletionResultType]::ParameterName, 'Run this command inside an open transaction (see `tx`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Run the job and its wrappers, print the changes it would make, roll back')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON result object on stdout (errors too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'litewrite;tx;help' {
            [CompletionResult]::new('begin', 'begin', [CompletionResultType]::ParameterValue, 'Begin a transaction; prints only its id once it holds its locks')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run SQL in the transaction; prints rows like `query`')
            [CompletionResult]::new('savepoint', 'savepoint', [CompletionResultType]::ParameterValue, 'Create a savepoint')
            [CompletionResult]::new('release', 'release', [CompletionResultType]::ParameterValue, 'Release (forget) a savepoint, keeping its changes')
            [CompletionResult]::new('rollback-to', 'rollback-to', [CompletionResultType]::ParameterValue, 'Undo the changes since a savepoint (the savepoint stays)')
            [CompletionResult]::new('commit', 'commit', [CompletionResultType]::ParameterValue, 'Commit the transaction')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Roll the transaction back')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List your open transactions')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show a transaction''s database, tables and time left')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'litewrite;tx;help;begin' {
            break
        }
        'litewrite;tx;help;exec' {
            break
        }
        'litewrite;tx;help;savepoint' {
            break
        }
        'litewrite;tx;help;release' {
            break
        }
        'litewrite;tx;help;rollback-to' {
            break
        }
        'litewrite;tx;help;commit' {
            break
        }
        'litewrite;tx;help;rollback' {
            break
        }
        'litewrite;tx;help;list' {
            break
        }
        'litewrite;tx;help;status' {
            break
        }
        'litewrite;tx;help;help' {
            break
        }
        'litewrite;config' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--tx', '--tx', [CompletionResultType]::ParameterName, 'Run this command inside an open transaction (see `tx`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Run the job and its wrappers, print the changes it would make, roll back')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON result object on stdout (errors too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'litewrite;completions' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--tx', '--tx', [CompletionResultType]::ParameterName, 'Run this command inside an open transaction (see `tx`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Run the job and its wrappers, print the changes it would make, roll back')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON result object on stdout (errors too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'litewrite;man' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Write every page as a file into this directory (created if missing)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is writing: a label for the records, not a credential (the authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS user name]')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'A note for this write''s change group and audit entries')
            [CompletionResult]::new('--tx', '--tx', [CompletionResultType]::ParameterName, 'Run this command inside an open transaction (see `tx`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Run the job and its wrappers, print the changes it would make, roll back')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON result object on stdout (errors too)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print less on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'litewrite;help' {
            [CompletionResult]::new('insert', 'insert', [CompletionResultType]::ParameterValue, 'Insert rows from JSON, NDJSON, CSV, TSV or the command line')
            [CompletionResult]::new('upsert', 'upsert', [CompletionResultType]::ParameterValue, 'Insert new rows and update existing ones by primary key')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Update one row by its primary key, the rows matching --where, or rows from stdin')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete one row by its primary key, the rows matching --where, or keys from stdin')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a table')
            [CompletionResult]::new('drop', 'drop', [CompletionResultType]::ParameterValue, 'Drop a table')
            [CompletionResult]::new('query', 'query', [CompletionResultType]::ParameterValue, 'Run SQL and print the rows of the last statement that returns rows')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Show tables and views with columns, keys, foreign keys and indexes')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'List change groups, newest first: id, time, actor, message, command, tables and row counts')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a change group''s row changes: table, operation, key, before and after values')
            [CompletionResult]::new('undo', 'undo', [CompletionResultType]::ParameterValue, 'Revert a change group, as a new recorded group')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Delete old change groups, which can then no longer be undone')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Read the audit log (oldest first), verify its hash chain, or print its head')
            [CompletionResult]::new('tx', 'tx', [CompletionResultType]::ParameterValue, 'Transactions that span several invocations')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show the configuration in effect: the wrapper chain and the file it came from')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print a man page (roff), or write them all to a directory')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'litewrite;help;insert' {
            break
        }
        'litewrite;help;upsert' {
            break
        }
        'litewrite;help;update' {
            break
        }
        'litewrite;help;delete' {
            break
        }
        'litewrite;help;create' {
            break
        }
        'litewrite;help;drop' {
            break
        }
        'litewrite;help;query' {
            break
        }
        'litewrite;help;schema' {
            break
        }
        'litewrite;help;history' {
            break
        }
        'litewrite;help;show' {
            break
        }
        'litewrite;help;undo' {
            break
        }
        'litewrite;help;prune' {
            break
        }
        'litewrite;help;audit' {
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check the hash chain: any modified, deleted, inserted or reordered entry is reported and fails')
            [CompletionResult]::new('head', 'head', [CompletionResultType]::ParameterValue, 'Print the chain''s last entry as {"id": N, "hash": "..."}, to keep outside the database')
            break
        }
        'litewrite;help;audit;verify' {
            break
        }
        'litewrite;help;audit;head' {
            break
        }
        'litewrite;help;tx' {
            [CompletionResult]::new('begin', 'begin', [CompletionResultType]::ParameterValue, 'Begin a transaction; prints only its id once it holds its locks')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run SQL in the transaction; prints rows like `query`')
            [CompletionResult]::new('savepoint', 'savepoint', [CompletionResultType]::ParameterValue, 'Create a savepoint')
            [CompletionResult]::new('release', 'release', [CompletionResultType]::ParameterValue, 'Release (forget) a savepoint, keeping its changes')
            [CompletionResult]::new('rollback-to', 'rollback-to', [CompletionResultType]::ParameterValue, 'Undo the changes since a savepoint (the savepoint stays)')
            [CompletionResult]::new('commit', 'commit', [CompletionResultType]::ParameterValue, 'Commit the transaction')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Roll the transaction back')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List your open transactions')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show a transaction''s database, tables and time left')
            break
        }
        'litewrite;help;tx;begin' {
            break
        }
        'litewrite;help;tx;exec' {
            break
        }
        'litewrite;help;tx;savepoint' {
            break
        }
        'litewrite;help;tx;release' {
            break
        }
        'litewrite;help;tx;rollback-to' {
            break
        }
        'litewrite;help;tx;commit' {
            break
        }
        'litewrite;help;tx;rollback' {
            break
        }
        'litewrite;help;tx;list' {
            break
        }
        'litewrite;help;tx;status' {
            break
        }
        'litewrite;help;config' {
            break
        }
        'litewrite;help;completions' {
            break
        }
        'litewrite;help;man' {
            break
        }
        'litewrite;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
