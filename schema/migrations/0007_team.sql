CREATE TABLE `staff_tokens` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`staff_id` text NOT NULL,
	`merchant_id` text NOT NULL,
	`purpose` text NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `staff_tokens_staff` ON `staff_tokens` (`staff_id`,`purpose`);--> statement-breakpoint
DROP INDEX `staff_email`;--> statement-breakpoint
ALTER TABLE `staff` ADD `status` text DEFAULT 'active' NOT NULL;--> statement-breakpoint
ALTER TABLE `staff` ADD `invite_expires_at` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `staff_merchant_email` ON `staff` (`merchant_id`,`email`) WHERE "staff"."status" <> 'removed';--> statement-breakpoint
CREATE INDEX `staff_email` ON `staff` (`email`);--> statement-breakpoint
ALTER TABLE `tickets` ADD `assignee_id` text;--> statement-breakpoint
CREATE INDEX `tickets_assignee_due` ON `tickets` (`merchant_id`,`assignee_id`,`next_due_at`);--> statement-breakpoint
CREATE INDEX `tickets_assignee_queue` ON `tickets` (`merchant_id`,`assignee_id`,`status`,`next_due_at`);