package org.fieldstream.seeds;

import java.util.List;
import java.util.SplittableRandom;

import org.fieldstream.events.Sex;

/**
 * Synthetic persons. A person is a partner's key such as {@code NDP-Y-000042}; its attributes (sex,
 * birth year, fake name and phone) are a pure function of seed and key, so any record about the
 * person agrees without holding persons in memory. Names and phones are invented and exist only to
 * prove that producers drop them.
 */
final class People {

    /** Kinds of persons, with the key infix and birth-year range. */
    enum Kind {
        YOUTH("Y"), COMMUNITY("C"), STAFF("S"), CBO("CBO");

        final String infix;

        Kind(String infix) {
            this.infix = infix;
        }
    }

    record Person(String key, Sex sex, int birthYear, String name, String phone) {
    }

    private static final List<String> FEMALE = List.of("Rahima", "Fatema", "Nasrin", "Shirin", "Ayesha", "Taslima",
            "Rokeya", "Salma", "Moriom", "Jesmin", "Parvin", "Shahnaz", "Sumaiya", "Lipi", "Mousumi");
    private static final List<String> MALE = List.of("Abdul", "Rafiq", "Jamal", "Kamal", "Shahidul", "Mizanur",
            "Habibur", "Anwar", "Rashed", "Sohel", "Milon", "Babul", "Sujon", "Rubel", "Tanvir");
    private static final List<String> FAMILY = List.of("Islam", "Hossain", "Rahman", "Ali", "Mia", "Sheikh", "Sarkar",
            "Pramanik", "Mondol", "Talukder", "Akanda", "Khan");
    private static final List<String> FEMALE_BN = List.of("রহিমা খাতুন", "ফাতেমা বেগম", "নাসরিন আক্তার", "শিরিন সুলতানা");
    private static final List<String> MALE_BN = List.of("আব্দুল করিম", "রফিকুল ইসলাম", "জামাল হোসেন", "কামাল মিয়া");

    private final long seed;

    People(long seed) {
        this.seed = seed;
    }

    static String key(String partnerPrefix, Kind kind, int index) {
        return partnerPrefix + "-" + kind.infix + "-" + String.format("%06d", index);
    }

    Person person(String key, Kind kind) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ key.hashCode());
        Sex sex = sex(r, kind == Kind.STAFF ? 0.4 : kind == Kind.COMMUNITY ? 0.6 : 0.55);
        int birthYear = switch (kind) {
            case YOUTH -> {
                double u = r.nextDouble();
                yield u < 0.75 ? r.nextInt(1997, 2012) : u < 0.9 ? r.nextInt(1980, 1997) : r.nextInt(2012, 2014);
            }
            case COMMUNITY -> r.nextInt(1950, 2006);
            case STAFF -> r.nextInt(1970, 1996);
            case CBO -> r.nextInt(1960, 2001);
        };
        boolean female = sex == Sex.FEMALE || (sex != Sex.MALE && r.nextBoolean());
        String name;
        if (r.nextDouble() < 0.1) {
            name = pick(r, female ? FEMALE_BN : MALE_BN);
        } else {
            name = pick(r, female ? FEMALE : MALE) + " " + (female && r.nextBoolean() ? pick(r, List.of("Khatun", "Begum", "Akter")) : pick(r, FAMILY));
        }
        String phone = "01" + r.nextInt(3, 10) + String.format("%08d", r.nextInt(100_000_000));
        return new Person(key, sex, birthYear, name, phone);
    }

    private static Sex sex(SplittableRandom r, double female) {
        double u = r.nextDouble();
        if (u < female) {
            return Sex.FEMALE;
        }
        if (u < 0.98) {
            return Sex.MALE;
        }
        return u < 0.99 ? Sex.OTHER : Sex.UNKNOWN;
    }

    static <T> T pick(SplittableRandom r, List<T> items) {
        return items.get(r.nextInt(items.size()));
    }
}
