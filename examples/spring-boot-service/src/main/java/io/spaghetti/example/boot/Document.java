package io.spaghetti.example.boot;

/** What the example serves from its "database". */
public record Document(String id, String title) {
}
