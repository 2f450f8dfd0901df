CREATE TABLE `attachments` (
	`id` text PRIMARY KEY NOT NULL,
	`merchant_id` text NOT NULL,
	`ticket_id` text NOT NULL,
	`author` text NOT NULL,
	`name` text NOT NULL,
	`content_type` text NOT NULL,
	`size` integer NOT NULL,
	`r2_key` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `attachments_ticket` ON `attachments` (`ticket_id`);--> statement-breakpoint
CREATE TABLE `customer_sessions` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`ticket_id` text NOT NULL,
	`merchant_id` text NOT NULL,
	`expires_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `customer_sessions_ticket` ON `customer_sessions` (`ticket_id`);--> statement-breakpoint
CREATE TABLE `dev_mailbox` (
	`id` text PRIMARY KEY NOT NULL,
	`sender` text NOT NULL,
	`recipient` text NOT NULL,
	`subject` text NOT NULL,
	`text` text NOT NULL,
	`html` text NOT NULL,
	`headers` text NOT NULL,
	`sent_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `dev_mailbox_sent` ON `dev_mailbox` (`sent_at`);--> statement-breakpoint
CREATE TABLE `inbound_messages` (
	`merchant_id` text NOT NULL,
	`message_id` text NOT NULL,
	`ticket_id` text,
	`outcome` text NOT NULL,
	`sender` text NOT NULL,
	`subject` text NOT NULL,
	`raw_key` text,
	`received_at` integer NOT NULL,
	PRIMARY KEY(`merchant_id`, `message_id`)
);
--> statement-breakpoint
CREATE INDEX `inbound_messages_ticket` ON `inbound_messages` (`ticket_id`);--> statement-breakpoint
CREATE TABLE `suppressions` (
	`merchant_id` text NOT NULL,
	`email` text NOT NULL,
	`reason` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`merchant_id`, `email`)
);
--> statement-breakpoint
CREATE TABLE `ticket_links` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`ticket_id` text NOT NULL,
	`merchant_id` text NOT NULL,
	`expires_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `ticket_links_ticket` ON `ticket_links` (`ticket_id`);--> statement-breakpoint
ALTER TABLE `merchants` ADD `reply_secret` text;--> statement-breakpoint
ALTER TABLE `outbox` ADD `message_id` text;--> statement-breakpoint
CREATE INDEX `outbox_message_id` ON `outbox` (`message_id`);--> statement-breakpoint
ALTER TABLE `sites` ADD `inbound_address` text;--> statement-breakpoint
CREATE UNIQUE INDEX `sites_inbound_address` ON `sites` (`inbound_address`);--> statement-breakpoint
ALTER TABLE `tickets` ADD `source` text DEFAULT 'web' NOT NULL;
--> statement-breakpoint
-- Every merchant gets its reply-token key (new merchants get one when they are created).
UPDATE `merchants` SET `reply_secret` = lower(hex(randomblob(32))) WHERE `reply_secret` IS NULL;
