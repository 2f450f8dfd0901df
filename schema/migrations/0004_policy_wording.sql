CREATE TABLE `meetings` (
	`id` text PRIMARY KEY NOT NULL,
	`ticket_id` text NOT NULL,
	`merchant_id` text NOT NULL,
	`customer_key` text NOT NULL,
	`scheduled_at` integer NOT NULL,
	`status` text NOT NULL,
	`cancelled_at` integer,
	`cancellation_reason` text,
	`fee_entry_id` text,
	`staff_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `meetings_ticket` ON `meetings` (`ticket_id`,`scheduled_at`);--> statement-breakpoint
CREATE INDEX `meetings_customer` ON `meetings` (`merchant_id`,`customer_key`,`status`);--> statement-breakpoint
ALTER TABLE `tickets` ADD `allowance_reason` text;--> statement-breakpoint
ALTER TABLE `tickets` ADD `after_hours_choice` text;--> statement-breakpoint
ALTER TABLE `time_entries` ADD `billable` integer DEFAULT true NOT NULL;
--> statement-breakpoint
-- Entries logged before this column: billed when they cost something.
UPDATE `time_entries` SET `billable` = (`amount` > 0);
