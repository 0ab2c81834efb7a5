package dev.doorcast.history;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import dev.doorcast.system.ApiException;
import dev.doorcast.system.DoorcastProperties;
import io.swagger.v3.oas.annotations.Operation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A consistent copy of the embedded store while the server runs: H2's {@code BACKUP TO}, which only a
 * connection of this process can make (the database file is locked to others). One file, overwritten by
 * each backup, so that backups cannot fill the volume; one at a time. The owner's (no rule opens it to
 * viewers); with PostgreSQL, pg_dump does this.
 */
@RestController
class StoreBackupController {

    private static final Logger log = LoggerFactory.getLogger(StoreBackupController.class);

    /** Where the backup goes, beside the database file. */
    static final String FILE = "doorcast-backup.zip";

    record BackupWritten(boolean success, String file, long bytes) {
    }

    private final DataSource dataSource;
    private final Path folder;

    StoreBackupController(DataSource dataSource, DoorcastProperties properties) {
        this.dataSource = dataSource;
        this.folder = Path.of(properties.storage().path()).toAbsolutePath();
    }

    @Operation(summary = "Writes a consistent copy of the embedded H2 store to doorcast-backup.zip in "
            + "doorcast.storage.path, replacing the last one")
    @PostMapping("/api/v1/store/backup")
    synchronized BackupWritten backup() throws IOException {
        Path target = folder.resolve(FILE);
        try (Connection connection = dataSource.getConnection()) {
            String url = connection.getMetaData().getURL();
            if (!url.startsWith("jdbc:h2:file:")) {
                throw ApiException.notFound("No embedded store",
                        "The store is not an H2 file here; back a PostgreSQL store up with pg_dump");
            }
            Files.createDirectories(folder);
            Path partial = folder.resolve(FILE + ".partial");
            try (Statement statement = connection.createStatement()) {
                // The path is the server's own setting, never the request's; quotes doubled all the same.
                statement.execute("BACKUP TO '" + partial.toString().replace("'", "''") + "'");
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (SQLException e) {
            log.warn("The store's backup to {} failed", target, e);
            throw ApiException.unavailable("Store unavailable", "The backup failed; the server's log says why", 5);
        }
        return new BackupWritten(true, target.toString(), Files.size(target));
    }
}
