package dev.cairn.langchain4j;

import dev.cairn.Cairn;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.memory.ChatMemory;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;

/** Run in a child JVM: writes a conversation through a window memory and exits, so another JVM can read it. */
public final class WriterMain {
    private WriterMain() {}

    public static void main(String[] args) {
        try (Cairn db = Cairn.open(args[0])) {
            ChatMemory memory = MessageWindowChatMemory.builder().id(args[1]).maxMessages(5)
                    .chatMemoryStore(new CairnChatMemoryStore(db)).build();
            memory.add(SystemMessage.from("be brief"));
            for (int i = 0; i < 12; i++) {
                memory.add(UserMessage.from("message " + i));
            }
        }
    }
}
