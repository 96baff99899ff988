package dev.rockpool.bench;

/** The JVM floor of the CLI start benchmark ({@link StartBench}): a class that prints <code>{}</code> and ends. */
public final class Floor {
    private Floor() {
    }

    public static void main(String[] args) {
        System.out.println("{}");
    }
}
