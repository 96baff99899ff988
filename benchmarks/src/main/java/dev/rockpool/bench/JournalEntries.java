package dev.rockpool.bench;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Log entries as {@code journalctl -o json} prints them on one host: the same field names in the same order, the
 * host's fixed machine and boot ids, a cursor, timestamps that grow, and a mix of services (sshd, systemd, the kernel's
 * firewall, cron, nginx, dockerd, chronyd, an application) whose messages carry addresses, ports, ids, durations and
 * random hashes: what {@code journalctl -o json -f | rockpool feed syslog} puts in a pool, and what compression works
 * on. Entry {@code i} is always the same bytes (a random generator seeded with {@code i}); 0.8 to 1.4 KB each.
 */
public final class JournalEntries {
    private static final String MACHINE_ID = "6c1b0e5a92f84d17b3e0c4a8d2f19e76";
    private static final String BOOT_ID = "f3a27c9d0b5e4e61a8d4c2b7e90f1a35";
    private static final String HOST = "edge-gw-07";
    /** 2026-11-22T01:00:00Z in µs, as journald's realtime timestamps are. */
    private static final long START_MICROS = 1_795_395_600_000_000L;
    private static final String[] USERS = {"deploy", "alice", "backup", "root", "monitor"};
    private static final String[] PATHS = {"/api/v1/orders/", "/api/v1/customers/", "/static/js/app.", "/healthz?id=",
        "/api/v2/invoices/"};

    private JournalEntries() {
    }

    /** Entry {@code i}: compact UTF-8 JSON. */
    public static byte[] entry(long i) {
        SplittableRandom r = new SplittableRandom(i);
        long realtime = START_MICROS + i * 1_700 + r.nextInt(900);
        Service s = Service.values()[r.nextInt(Service.values().length)];
        int pid = s.fixedPid > 0 ? s.fixedPid : 2_000 + r.nextInt(60_000);
        StringBuilder b = new StringBuilder(1400).append('{');
        field(b, "__CURSOR", "s=0d3f7a41c9b24e0f8a6e1b5c7d2e9f30;i=" + Long.toHexString(0x4c2a1L + i) + ";b=" + BOOT_ID
                + ";m=" + Long.toHexString(realtime - START_MICROS + 86_400_000_000L) + ";t="
                + Long.toHexString(realtime) + ";x=" + hex(r, 16));
        field(b, "__REALTIME_TIMESTAMP", Long.toString(realtime));
        field(b, "__MONOTONIC_TIMESTAMP", Long.toString(realtime - START_MICROS + 86_400_000_000L));
        field(b, "_BOOT_ID", BOOT_ID);
        field(b, "_MACHINE_ID", MACHINE_ID);
        field(b, "_HOSTNAME", HOST);
        field(b, "PRIORITY", Integer.toString(s.priority));
        field(b, "SYSLOG_FACILITY", Integer.toString(s.facility));
        field(b, "SYSLOG_IDENTIFIER", s.identifier);
        field(b, "_TRANSPORT", s.transport);
        if (!s.transport.equals("kernel")) {
            field(b, "_UID", Integer.toString(s.uid));
            field(b, "_GID", Integer.toString(s.uid));
            field(b, "_COMM", s.comm);
            field(b, "_EXE", s.exe);
            field(b, "_CMDLINE", s.cmdline);
            field(b, "_CAP_EFFECTIVE", s.uid == 0 ? "1ffffffffff" : "0");
            field(b, "_SYSTEMD_CGROUP", "/system.slice/" + s.unit);
            field(b, "_SYSTEMD_UNIT", s.unit);
            field(b, "_SYSTEMD_SLICE", "system.slice");
            field(b, "_SYSTEMD_INVOCATION_ID", s.invocationId);
            field(b, "_PID", Integer.toString(pid));
            field(b, "_SOURCE_REALTIME_TIMESTAMP", Long.toString(realtime - 40 - r.nextInt(200)));
        }
        field(b, "MESSAGE", s.message(r, realtime));
        b.setCharAt(b.length() - 1, '}');
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void field(StringBuilder b, String name, String value) {
        b.append('"').append(name).append("\":\"");
        for (int k = 0; k < value.length(); k++) {
            char c = value.charAt(k);
            if (c == '"' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        b.append("\",");
    }

    private static String hex(SplittableRandom r, int digits) {
        StringBuilder b = new StringBuilder(digits);
        for (int k = 0; k < digits; k++) {
            b.append(Character.forDigit(r.nextInt(16), 16));
        }
        return b.toString();
    }

    private static String ip(SplittableRandom r) {
        return r.nextInt(4) == 0 ? "10.20." + r.nextInt(8) + "." + r.nextInt(256)
                : (23 + r.nextInt(180)) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
    }

    /** The services writing to the journal, with what stays the same for each and how its messages vary. */
    private enum Service {
        SSHD("sshd", "syslog", 6, 4, 0, 0, "/usr/sbin/sshd", "sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups",
                "ssh.service") {
            @Override
            String message(SplittableRandom r, long realtime) {
                String user = USERS[r.nextInt(USERS.length)];
                return switch (r.nextInt(3)) {
                    case 0 -> "Accepted publickey for " + user + " from " + ip(r) + " port "
                            + (32_768 + r.nextInt(28_000)) + " ssh2: ED25519 SHA256:" + base64(r, 43);
                    case 1 -> "pam_unix(sshd:session): session opened for user " + user + "(uid="
                            + (1000 + r.nextInt(9)) + ") by (uid=0)";
                    default -> "Connection closed by authenticating user root " + ip(r) + " port "
                            + (32_768 + r.nextInt(28_000)) + " [preauth]";
                };
            }
        },
        SYSTEMD("systemd", "journal", 6, 3, 0, 1, "/usr/lib/systemd/systemd", "/sbin/init", "init.scope") {
            @Override
            String message(SplittableRandom r, long realtime) {
                String[] units = {"apt-daily.service", "logrotate.service", "fstrim.service", "man-db.service",
                    "systemd-tmpfiles-clean.service", "certbot.service"};
                String unit = units[r.nextInt(units.length)];
                return switch (r.nextInt(3)) {
                    case 0 -> "Starting " + unit.replace(".service", "") + " activities...";
                    case 1 -> unit + ": Deactivated successfully.";
                    default -> unit + ": Consumed " + r.nextInt(900) + "ms CPU time, " + (1 + r.nextInt(60))
                            + ".0M memory peak.";
                };
            }
        },
        KERNEL("kernel", "kernel", 4, 0, 0, 0, "", "", "") {
            @Override
            String message(SplittableRandom r, long realtime) {
                return "[UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:8a:3c:11:fe:54:00:" + hex(r, 2) + ":" + hex(r, 2) + ":"
                        + hex(r, 2) + ":08:00 SRC=" + ip(r) + " DST=203.0.113.17 LEN=" + (40 + r.nextInt(40))
                        + " TOS=0x00 PREC=0x00 TTL=" + (40 + r.nextInt(200)) + " ID=" + r.nextInt(65_536)
                        + " PROTO=TCP SPT=" + (1024 + r.nextInt(64_000)) + " DPT=" + (r.nextBoolean() ? 22 : 3389)
                        + " WINDOW=" + (1024 + r.nextInt(64_000)) + " RES=0x00 SYN URGP=0";
            }
        },
        CRON("CRON", "syslog", 6, 9, 0, 0, "/usr/sbin/cron", "/usr/sbin/CRON -f -P", "cron.service") {
            @Override
            String message(SplittableRandom r, long realtime) {
                return r.nextBoolean() ? "(root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)"
                        : "pam_unix(cron:session): session closed for user root";
            }
        },
        NGINX("nginx", "stdout", 6, 3, 33, 0, "/usr/sbin/nginx", "nginx: worker process", "nginx.service") {
            @Override
            String message(SplittableRandom r, long realtime) {
                int status = r.nextInt(20) == 0 ? 404 : 200;
                String clock = String.format(Locale.ROOT, "%02d:%02d", (realtime / 60_000_000) % 60,
                        (realtime / 1_000_000) % 60);
                return ip(r) + " - - [22/Nov/2026:01:" + clock + " +0000] \"GET " + PATHS[r.nextInt(PATHS.length)]
                        + r.nextInt(1_000_000) + " HTTP/1.1\" " + status + " " + r.nextInt(40_000)
                        + " \"-\" \"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/"
                        + (120 + r.nextInt(12)) + ".0.0.0 Safari/537.36\" rt=0."
                        + String.format(Locale.ROOT, "%03d", r.nextInt(999));
            }
        },
        DOCKERD("dockerd", "stdout", 6, 3, 0, 812, "/usr/bin/dockerd",
                "/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock", "docker.service") {
            @Override
            String message(SplittableRandom r, long realtime) {
                return "time=\"2026-11-22T01:00:00." + r.nextInt(1_000_000_000) + "Z\" level=info"
                        + " msg=\"ignoring event\" container=" + hex(r, 64) + " module=libcontainerd namespace=moby"
                        + " topic=/tasks/delete type=\"*events.TaskDelete\"";
            }
        },
        CHRONYD("chronyd", "syslog", 6, 3, 112, 655, "/usr/sbin/chronyd", "/usr/sbin/chronyd -F 1", "chrony.service") {
            @Override
            String message(SplittableRandom r, long realtime) {
                return r.nextInt(3) == 0 ? "Selected source " + ip(r) + " (2.debian.pool.ntp.org)"
                        : "System clock wrong by " + (r.nextInt(2000) - 1000) / 1e6 + " seconds";
            }
        },
        PAYMENTS("payments", "stdout", 6, 3, 1001, 0, "/usr/bin/java",
                "java -Xmx512m -jar /opt/payments/payments.jar --spring.profiles.active=edge", "payments.service") {
            @Override
            String message(SplittableRandom r, long realtime) {
                return "{\"level\":\"" + (r.nextInt(30) == 0 ? "error" : "info") + "\",\"logger\":"
                        + "\"d.e.p.SettlementService\",\"msg\":\"order settled\",\"order\":\"ORD-" + (4_000_000
                        + r.nextInt(900_000)) + "\",\"amount\":" + r.nextInt(50_000) / 100.0 + ",\"currency\":\"EUR\","
                        + "\"ms\":" + r.nextInt(400) + ",\"trace\":\"" + hex(r, 32) + "\"}";
            }
        };

        final String identifier;
        final String transport;
        final int priority;
        final int facility;
        final int uid;
        final int fixedPid;
        final String exe;
        final String cmdline;
        final String unit;
        final String comm;
        final String invocationId;

        Service(String identifier, String transport, int priority, int facility, int uid, int fixedPid, String exe,
                String cmdline, String unit) {
            this.identifier = identifier;
            this.transport = transport;
            this.priority = priority;
            this.facility = facility;
            this.uid = uid;
            this.fixedPid = fixedPid;
            this.exe = exe;
            this.cmdline = cmdline;
            this.unit = unit;
            this.comm = exe.isEmpty() ? "" : exe.substring(exe.lastIndexOf('/') + 1);
            this.invocationId = hex(new SplittableRandom(identifier.hashCode()), 32);
        }

        abstract String message(SplittableRandom r, long realtime);
    }

    private static String base64(SplittableRandom r, int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        StringBuilder b = new StringBuilder(length);
        for (int k = 0; k < length; k++) {
            b.append(alphabet.charAt(r.nextInt(64)));
        }
        return b.toString();
    }
}
