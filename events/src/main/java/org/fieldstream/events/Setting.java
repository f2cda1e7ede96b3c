package org.fieldstream.events;

/**
 * One setting of FieldStream, declared once in {@link SettingKeys}: its key in a settings file, what
 * its value is, its default ({@code null}: none, the setting is unset unless given) and what it does.
 * Its environment variable is derived from the key ({@link Settings#envName}). A family
 * ({@code kafka.<client setting>}) names many keys by a prefix: it has no default and, except the
 * {@code kafka.*} keys {@link KafkaAccess#ENVIRONMENT_KEYS} names, no variable.
 */
public record Setting(String key, Type type, String defaultValue, String description) {

    /** What a value is. */
    public enum Type { TEXT, NUMBER, FLAG, CHOICE, PATH, FAMILY }

    public Setting {
        if (key == null || key.isBlank() || description == null || description.isBlank()) {
            throw new IllegalArgumentException("a setting needs a key and a description: " + key);
        }
        if (type == Type.FAMILY && (defaultValue != null || !key.contains("<"))) {
            throw new IllegalArgumentException("a family of keys is named <like.this> and has no default: " + key);
        }
    }

    /** The environment variable of this key ({@code FIELDSTREAM_} and the key upper cased, '.' and '-' as '_'). */
    public String variable() {
        return Settings.envName(key);
    }

    /** The part of a family's key before its first {@code <}: {@code kafka.} of {@code kafka.<client setting>}. */
    public String prefix() {
        return type == Type.FAMILY ? key.substring(0, key.indexOf('<')) : key;
    }

    @Override
    public String toString() {
        return key;
    }
}
