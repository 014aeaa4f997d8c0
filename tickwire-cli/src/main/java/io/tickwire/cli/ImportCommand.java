package io.tickwire.cli;

import io.tickwire.cli.config.TickwireConfig;
import io.tickwire.feeds.catalog.DefaultCatalog;
import io.tickwire.model.Clock;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.store.imports.TradeCsvImport;
import io.tickwire.store.questdb.QuestDbStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tickwire import}: loads recorded trades from CSV files into the history store. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Import recorded trades from CSV files into the history store.",
                "The data directory must not be in use by a running server. Columns, by header name: "
                        + "time,symbol,price,size,side and optionally trade_id,seq; time is ISO-8601 or epoch microseconds.",
                "A file with bad rows is refused as a whole (every bad row reported with its line number) "
                        + "unless --skip-bad-rows."})
final class ImportCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "CSV files of trades.")
    List<Path> files;

    @Option(names = "--skip-bad-rows", description = "Store the good rows of a file with bad rows (default: refuse the file).")
    boolean skipBadRows;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "YAML configuration (default: $TICKWIRE_CONFIG, else built-in defaults).")
    Path config;

    @Option(names = "--data", paramLabel = "DIR", description = "History data directory (overrides store.dataDir).")
    String data;

    @Override
    public Integer call() throws Exception {
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                System.err.println("tickwire import: no file " + file);
                return 2;
            }
        }
        TickwireConfig loaded = ConfigFile.load(config, data, null);
        InstrumentCatalog catalog = DefaultCatalog.load().instruments();
        int failed = 0;
        try (QuestDbStore store = QuestDbStore.open(loaded.store().toSettings(Path.of("").toAbsolutePath()), catalog,
                Clock.system())) {
            TradeCsvImport importer = new TradeCsvImport(catalog, store, store.numbering());
            for (Path file : files) {
                ImportProgress progress = new ImportProgress(file.getFileName().toString(), System.err, Clock.system(),
                        System.console() != null);
                TradeCsvImport.Report report = importer.run(file, skipBadRows ? TradeCsvImport.BadRows.SKIP
                        : TradeCsvImport.BadRows.REFUSE, progress);
                progress.finish();
                for (TradeCsvImport.Problem problem : report.problems()) {
                    System.err.println(file + ": " + problem);
                }
                if (report.badRows() > report.problems().size()) {
                    System.err.println(file + ": … and " + (report.badRows() - report.problems().size()) + " more bad rows");
                }
                if (report.refused() && report.rows() == 0) {
                    // the header (or the file as a whole) cannot be used: no row could be, so
                    // --skip-bad-rows would not help
                    failed++;
                    System.out.println(file + ": refused, nothing imported (the header row cannot be used)");
                } else if (report.refused()) {
                    failed++;
                    System.out.println(file + ": refused, nothing imported (" + report.badRows() + " bad of "
                            + report.rows() + " rows; --skip-bad-rows imports the good ones)");
                } else {
                    System.out.println(file + ": imported " + report.imported() + " trades"
                            + (report.badRows() > 0 ? ", skipped " + report.badRows() + " bad rows" : "")
                            + " into " + store.dataDir());
                }
            }
        }
        return failed == 0 ? 0 : 1;
    }
}
