package org.fieldstream.platform;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * A small server config (config.xml + users.xml) that ClickHouse 18.16 and current releases both
 * accept: root element {@code <yandex>}, loopback only, every path inside one work dir.
 */
record ClickHouseConfig(Path workDir, int httpPort, int tcpPort) {

    /** Directories the server may touch; all exist before it starts so it never falls back to /var/lib. */
    static final List<String> DIRECTORIES = List.of("data", "tmp", "user_files", "format_schemas", "log",
            "user_scripts", "dictionaries_lib", "top_level_domains");

    Path configFile() {
        return workDir.resolve("config.xml");
    }

    Path usersFile() {
        return workDir.resolve("users.xml");
    }

    Path logFile() {
        return workDir.resolve("log/clickhouse-server.log");
    }

    Path errorLogFile() {
        return workDir.resolve("log/clickhouse-server.err.log");
    }

    /** stdout/stderr of the server process (start-up failures before its logger is configured). */
    Path consoleLogFile() {
        return workDir.resolve("log/console.log");
    }

    String configXml() {
        return """
                <?xml version="1.0"?>
                <!-- written by FieldStream LocalClickHouse -->
                <yandex>
                    <logger>
                        <level>warning</level>
                        <log>%s</log>
                        <errorlog>%s</errorlog>
                        <size>100M</size>
                        <count>2</count>
                        <console>0</console>
                    </logger>
                    <listen_host>127.0.0.1</listen_host>
                    <http_port>%d</http_port>
                    <tcp_port>%d</tcp_port>
                    <max_connections>256</max_connections>
                    <keep_alive_timeout>3</keep_alive_timeout>
                    <max_concurrent_queries>100</max_concurrent_queries>
                    <uncompressed_cache_size>67108864</uncompressed_cache_size>
                    <mark_cache_size>67108864</mark_cache_size>
                    <path>%s</path>
                    <tmp_path>%s</tmp_path>
                    <user_files_path>%s</user_files_path>
                    <format_schema_path>%s</format_schema_path>
                    <users_config>%s</users_config>
                    <user_scripts_path>%s</user_scripts_path>
                    <dictionaries_lib_path>%s</dictionaries_lib_path>
                    <top_level_domains_path>%s</top_level_domains_path>
                    <default_profile>default</default_profile>
                    <default_database>default</default_database>
                    <timezone>UTC</timezone>
                </yandex>
                """.formatted(xml(logFile()), xml(errorLogFile()), httpPort, tcpPort,
                dir("data"), dir("tmp"), dir("user_files"), dir("format_schemas"), xml(usersFile()),
                dir("user_scripts"), dir("dictionaries_lib"), dir("top_level_domains"));
    }

    /** Users of a test server: {@code default} without password, loopback only. */
    static String usersXml() {
        return usersXml(List.of(new User("default", "<password></password>", LOOPBACK, "default", List.of())));
    }

    /** Profile of the stack's read-only user: no write, DDL or setting changes. */
    static final String READER_PROFILE = "fieldstream_reader";

    /**
     * Users of a stack's server ({@link StackClickHouseUsers}): the writer and the reader may use the
     * main database only (the reader read-only), the admin every database; each password as SHA-256
     * hex, loopback only. {@code default} keeps a random password kept nowhere and may connect from no
     * network, so it cannot log in at all.
     */
    static String usersXml(StackClickHouseUsers stack) {
        byte[] unkept = new byte[32];
        new SecureRandom().nextBytes(unkept);
        return usersXml(List.of(new User("default", hashed(HexFormat.of().formatHex(unkept)), List.of(), "default", List.of()),
                new User(stack.writer().user(), hashed(stack.writer().password()), LOOPBACK, "default", List.of(stack.database())),
                new User(stack.reader().user(), hashed(stack.reader().password()), LOOPBACK, READER_PROFILE, List.of(stack.database())),
                new User(stack.admin().user(), hashed(stack.admin().password()), LOOPBACK, "default", List.of())));
    }

    static String hashed(String password) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
            return "<password_sha256_hex>" + HexFormat.of().formatHex(digest) + "</password_sha256_hex>";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final List<String> LOOPBACK = List.of("127.0.0.1", "::1");

    /** A user: its password element, the addresses it may connect from (none: nobody logs in), profile, databases (none: all). */
    private record User(String name, String passwordElement, List<String> networks, String profile, List<String> databases) {
    }

    private static String usersXml(List<User> users) {
        StringBuilder xml = new StringBuilder();
        for (User user : users) {
            StringBuilder networks = new StringBuilder();
            user.networks().forEach(ip -> networks.append("\n                <ip>").append(ip).append("</ip>"));
            StringBuilder databases = new StringBuilder();
            if (!user.databases().isEmpty()) {
                databases.append("\n            <allow_databases>");
                user.databases().forEach(db -> databases.append("\n                <database>").append(db).append("</database>"));
                databases.append("\n            </allow_databases>");
            }
            xml.append("""
                            <%s>
                                %s
                                <networks>%s
                                </networks>
                                <profile>%s</profile>
                                <quota>default</quota>%s
                            </%s>
                    """.formatted(user.name(), user.passwordElement(), networks, user.profile(), databases, user.name()));
        }
        return """
                <?xml version="1.0"?>
                <yandex>
                    <profiles>
                        <default>
                            <max_memory_usage>4000000000</max_memory_usage>
                            <load_balancing>random</load_balancing>
                        </default>
                        <%s>
                            <readonly>1</readonly>
                            <max_memory_usage>4000000000</max_memory_usage>
                            <load_balancing>random</load_balancing>
                        </%s>
                    </profiles>
                    <users>
                %s    </users>
                    <quotas>
                        <default>
                            <interval>
                                <duration>3600</duration>
                                <queries>0</queries>
                                <errors>0</errors>
                                <result_rows>0</result_rows>
                                <read_rows>0</read_rows>
                                <execution_time>0</execution_time>
                            </interval>
                        </default>
                    </quotas>
                </yandex>
                """.formatted(READER_PROFILE, READER_PROFILE, xml);
    }

    /** ClickHouse wants directory paths with a trailing slash. */
    private String dir(String name) {
        return xml(workDir.resolve(name)) + "/";
    }

    private static String xml(Path path) {
        return path.toAbsolutePath().toString()
                .replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
