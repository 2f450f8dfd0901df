DROP INDEX `outbox_due`;--> statement-breakpoint
ALTER TABLE `outbox` ADD `channel` text DEFAULT 'webhook' NOT NULL;--> statement-breakpoint
ALTER TABLE `outbox` ADD `ticket_id` text;--> statement-breakpoint
ALTER TABLE `outbox` ADD `recipient` text;--> statement-breakpoint
ALTER TABLE `outbox` ADD `status` text DEFAULT 'queued' NOT NULL;--> statement-breakpoint
ALTER TABLE `outbox` ADD `leased_until` integer;--> statement-breakpoint
CREATE INDEX `outbox_ticket` ON `outbox` (`ticket_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `outbox_due` ON `outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
ALTER TABLE `tickets` ADD `reopen_until` integer;--> statement-breakpoint
CREATE INDEX `tickets_reopen_scan` ON `tickets` (`status`,`reopen_until`);--> statement-breakpoint
UPDATE `outbox` SET `status` = 'sent' WHERE `delivered_at` IS NOT NULL;--> statement-breakpoint
UPDATE `outbox` SET `status` = 'failed' WHERE `delivered_at` IS NULL AND `attempts` >= 10;
